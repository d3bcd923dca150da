// PeSquel's version, reported by `pesquel --version` and the `Server` header.
export const version = '0.1.0';
