// @localgw/formats/documents: the management API's ImportApi, ReimportApi and ExportApi, with
// the OpenAPI reader and writer and YAML they bring. Its own entry so that a gateway loads them
// only when asked to import or export: together they were a third of what `localgw start`
// compiled before its first request (issue 17).
export { exportApi, importApi, reimportApi } from './management/import-export.js';
