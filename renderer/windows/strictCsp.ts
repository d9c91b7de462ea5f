// Imported first by every window entry, before anything that builds a zod schema.
//
// Windows run under a CSP without 'unsafe-eval'. zod compiles object parsers with `new Function`
// unless told not to, and even its probe for whether eval is allowed (made when the first object
// schema is built) is reported as a CSP violation. The renderer never validates on a hot path, so
// it gives up zod's JIT. ESM runs imports in order, so this runs before shared/services/*.
import { config } from 'zod';

config({ jitless: true });
