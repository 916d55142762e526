// Authentication API errors have the OAuth shape {error, error_description} (Auth0 Authentication API docs: Errors).
export class OAuthError extends Error {
  readonly statusCode: number;
  readonly error: string;

  constructor(statusCode: number, error: string, description: string) {
    super(description);
    this.statusCode = statusCode;
    this.error = error;
  }

  toJSON(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.message };
  }
}
