// Types for the parts of s3rver (a local S3-compatible server, dev dependency) that the S3 tests use.
declare module 's3rver' {
  export default class S3rver {
    constructor(options: {
      port?: number; address?: string; silent?: boolean; directory: string;
      configureBuckets?: { name: string }[]; key?: Buffer; cert?: Buffer;
    });
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  }
}
