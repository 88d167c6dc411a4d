// The admin routes' shared pieces, from where they are defined.
export { jsonBody, jsonResponse } from '../common.ts';
export { iso, IdParam, Ok, Paging } from '../../../contracts/common.ts';
