// @localgw/formats/serving: what a gateway serving its APIs takes from this package — a config as
// the model and back, and the management store — without the readers and writers of templates,
// serverless.yml and OpenAPI files, nor YAML. The CLI's start imports this entry, not the index:
// its bundler assigns files to chunks by the entries that reach them, and the index reaches every
// reader, which `localgw start` would then compile for a localgw.config.json too (issue 17).
export { toLocalgwConfig } from './model/to-config.js';
export { formatSource } from './source/format-source.js';
export { configAsModel, withConfigExtras } from './model/config-as-model.js';
export { ManagementStore } from './management/store.js';
export { isManagementError, badRequest, notFound } from './management/errors.js';
export { Input } from './management/input.js';
export { apiView } from './management/apis.js';
export { fromModel } from './management/from-model.js';
export { servedModel } from './management/to-model.js';
export { servedSnapshot } from './management/stages.js';
export { emptyState } from './management/resources.js';
