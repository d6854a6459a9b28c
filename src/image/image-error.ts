// The one error class of image writing: the filesystem cannot be made as asked
// (too small, a tool missing, content a writer cannot represent).
import { UserError } from '../errors.js';

export class ImageError extends UserError {}
