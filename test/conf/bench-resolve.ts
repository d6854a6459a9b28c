// Benchmark (not a test): resolving a 500-line local.conf and reading every schema
// variable should take well under 100 ms. Run after the build:
//   node dist/test/conf/bench-resolve.js
import { SETTINGS } from '../../src/conf/schema.js';
import { resolveSettings } from '../../src/conf/settings.js';
import { makeTempDir } from '../helpers/tmp.js';
import { writeFiles } from './conf-helpers.js';
import { POKY_BUILD } from './poky-fixture.js';

const RUNS = 50;

/** The fixture's local.conf grown to 500 lines with the constructs real ones use. */
function localConf(): string {
  const lines = POKY_BUILD['build/conf/local.conf'].trimEnd().split('\n');
  const kinds = [
    (i: number) => `EXTRA_${i} ?= "value-${i} \${MACHINE}"`,
    (i: number) => `IMAGE_INSTALL:append = " package-${i}"`,
    (i: number) => `EXTRA_${i - 1}:mx6 = "imx-\${EXTRA_${i - 2}}"`,
    (i: number) => `# comment ${i}`,
    (i: number) => `FEATURE_${i} = "\${@bb.utils.contains('DISTRO_FEATURES', 'sota', 'on', 'off', d)}"`,
    (i: number) => `LIST_${i} += "a b \\`,
    () => '    c d"',
    (i: number) => `EXTRA_${i - 7}[doc] = "documentation"`,
  ];
  for (let i = lines.length; lines.length < 500; i++) lines.push(kinds[i % kinds.length](i));
  return lines.join('\n') + '\n';
}

const tmp = makeTempDir('conf-bench-');
try {
  writeFiles(tmp.path, { ...POKY_BUILD, 'build/conf/local.conf': localConf() });
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    const settings = resolveSettings({ builddir: `${tmp.path}/build` }, {});
    for (const { name } of SETTINGS) settings.get(name);
    settings.get('IMAGE_INSTALL');
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1);
  console.log(`resolve 500-line local.conf + read ${SETTINGS.length} variables: median ${at(0.5)} ms, p90 ${at(0.9)} ms, first ${times.length} runs`);
} finally {
  tmp.remove();
}
