// FireNet's HTTP API as the admin, for the harness and the load generator: signs in on first use
// and again when the token is refused (it lives 15 minutes; a soak lives longer).
export class ApiError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

export class AdminApi {
  private token: string | null = null;

  constructor(private readonly baseUrl: string, private readonly password: string) {}

  async login(): Promise<string> {
    const res = await fetch(`${this.baseUrl}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: this.password }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = await res.json() as { token?: string };
    if (res.status !== 200 || !body.token) throw new ApiError(res.status, `admin login: ${res.status} ${JSON.stringify(body)}`);
    this.token = body.token;
    return body.token;
  }

  /** The current token, signing in when there is none yet. */
  async currentToken(): Promise<string> {
    return this.token ?? this.login();
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.currentToken();
      const res = await fetch(this.baseUrl + path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      if (res.status === 401 && attempt === 0) { this.token = null; continue; }
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
    }
  }

  /** Calls until FireNet answers (it may be restarting), for up to `ms`. */
  async callPatiently<T>(method: string, path: string, body: unknown, ms: number): Promise<{ status: number; body: T }> {
    const deadline = Date.now() + ms;
    for (;;) {
      try {
        const res = await this.call<T>(method, path, body);
        if (res.status < 500 || Date.now() > deadline) return res;
      } catch (err) {
        if (Date.now() > deadline) throw err;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
