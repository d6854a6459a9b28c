// `yocto-ostree inspect IMAGE`: what an otaimg holds (loader state, deployments,
// origins) and whether every deployed file matches its commit. Read-only, no mount,
// no root. Exit code 1 when a deployment does not verify.
import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../errors.js';
import { Ext4Image } from '../image/ext4-image.js';
import { inspectImage } from '../image/inspect-image.js';
import { createReporter, formatBytes } from './output.js';

interface InspectArgs {
  image: string;
  json?: boolean;
}

class ImageVerifyError extends UserError {}

export const inspectCommand: CommandModule<object, InspectArgs> = {
  command: 'inspect <image>',
  describe: 'Show the deployments and boot configuration of an otaimg and verify the deployed files',
  builder: (y) =>
    y
      .positional('image', { type: 'string', demandOption: true, describe: 'ext4 image written by otaimg' })
      .option('json', { type: 'boolean', describe: 'Print the result as one JSON object' }) as unknown as Argv<InspectArgs>,
  handler: async (args) => {
    const out = createReporter(args);
    const img = await Ext4Image.open(args.image);
    try {
      const report = await inspectImage(img, (d) => out.progress(`verified ${d.path}`));
      out.done();
      out.info(`${args.image}: label ${report.label || '(none)'}, UUID ${report.uuid}, loader.${report.bootversion ?? '?'}`);
      for (const e of report.entries) out.info(`  boot entry ${e.file}: ${e.fields.title ?? ''} -> ${e.deployment ?? '(no deployment)'}`);
      for (const k of ['kernel_image', 'ramdisk_image', 'fdt_file', 'fdtdir', 'bootargs']) if (report.uEnv[k] !== undefined) out.info(`  uEnv ${k}=${report.uEnv[k]}`);
      for (const d of report.deployments) {
        out.info(`  deployment ${d.osname} ${d.commit}.${d.serial} origin ${d.refspec ?? '(none)'}: ${d.verified.files} files, ${d.verified.dirs} dirs, ${formatBytes(d.verified.bytes)} verified${d.problems.length ? `, ${d.problems.length} problem(s)` : ''}`);
        for (const p of d.problems) out.info(`    ${p}`);
      }
      out.result({ image: args.image, ...report });
      if (!report.ok) throw new ImageVerifyError(`${args.image} does not verify${report.deployments.length === 0 ? ': no deployment found' : ''}`);
    } finally {
      await img.close();
    }
  },
};
