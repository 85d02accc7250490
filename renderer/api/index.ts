// The views import the backend from here: `getApi()` (or `connectApi()` in tests) gives the
// contract's verbs and events whatever the shell. See client.ts.
export {
  bridgeClient,
  connectApi,
  getApi,
  socketClient,
  socketUrl,
  type ConnectionState,
  type WirescopeApi,
} from './client';
export { uploadFile, type UploadOptions, type UploadSource } from './upload';
