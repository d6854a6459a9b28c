// Lazy `${VAR}` expansion and `${@python}` substitution, with BitBake's rules
// (bitbake lib/bb/data_smart.py, expandWithRefs): references to unset variables stay
// as written, `$HOME` and `${ X }` are not references, passes repeat until the text
// stops changing, and inline Python runs only once it holds no `${VAR}` any more.
import { ExpansionError } from './errors.js';
import { evaluateInlinePython, InlinePythonError, UnterminatedStringError, type PythonDatastore } from './inline-python.js';

const REFERENCE = '\\$\\{[a-zA-Z0-9\\-_+./~:]+\\}';
const VAR_REFERENCES = new RegExp(REFERENCE, 'g');
/** A `${VAR}` reference anywhere in a text. */
export const VAR_REFERENCE = new RegExp(REFERENCE);
/** `${@…}`, where a `{…}` inside may hold a `}`; like Python's `.`, no newline. */
const PYTHON_REFERENCES = /\$\{@(?:\{[^\n]*?\}|[^\n])+?\}/g;

/**
 * Expands `text`, the value of `varname` (undefined for a free expression), reading
 * referenced variables through `d`, which returns them already expanded.
 */
export function expandText(text: string, varname: string | undefined, d: PythonDatastore): string {
  let s = text;
  while (s.includes('${')) {
    const before = s;
    s = s.replace(VAR_REFERENCES, (ref) => {
      const key = ref.slice(2, -1);
      if (key === varname) throw new ExpansionError(varname, ref, before, 'Exception', `variable ${varname} references itself!`);
      return d.getVar(key, true) ?? ref;
    });
    const withVariables = s;
    let evaluating = '';
    try {
      s = s.replace(PYTHON_REFERENCES, (ref) => {
        evaluating = ref;
        const code = ref.slice(3, -1);
        return VAR_REFERENCE.test(code) ? ref : evaluateInlinePython(code, d);
      });
    } catch (e) {
      // An unterminated string usually means the `}` belongs to the Python; BitBake
      // then leaves this pass's inline Python alone.
      if (e instanceof UnterminatedStringError) s = withVariables;
      else if (e instanceof InlinePythonError) throw new ExpansionError(varname, evaluating, withVariables, e.exception, e.message);
      else throw e;
    }
    if (s === before) break;
  }
  return s;
}
