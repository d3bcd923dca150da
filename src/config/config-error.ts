// A configuration error: names the setting so the start fails with a message a user can act on.
export class ConfigError extends Error {
  constructor(readonly setting: string, message: string) {
    super(`invalid setting '${setting}': ${message}`);
    this.name = 'ConfigError';
  }
}
