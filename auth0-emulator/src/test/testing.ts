// For other packages' tests (`@app/auth0-emulator/testing`): the spec checker and the recording
// fetch of the contract suites, so callers of the emulator can validate what they send and get.
export { capturingFetch } from "./contract-capture.ts";
export { SpecChecker, type Exchange } from "./contract-spec.ts";
