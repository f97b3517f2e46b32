// The token side of the test bed: tokens with a lifetime, as a backend hands them to browsers, and
// the aedes `authenticate` hook of a broker that takes them as EMQX takes JWTs: a token is the
// password (any user name), an expired one is refused, and a connection is closed when its token
// expires (EMQX's disconnect_after_expire).

/** Issued tokens: token -> ms since the epoch when it expires. */
const tokens = new Map();
let issued = 0;

/** A new token that lasts `lifetime` ms. */
export function issueToken(lifetime) {
  const token = `token-${++issued}-${Math.random().toString(36).slice(2, 10)}`;
  tokens.set(token, Date.now() + lifetime);
  return { token, expiresAt: tokens.get(token) };
}

/** Counts of what the broker did with tokens, for tests. */
// `fetchedBy`: the Referer of the last token fetched from `/__credentials/token` (a worker's is its script).
export const tokenStats = { accepted: 0, refused: 0, expiredClosed: 0, fetchedBy: '' };

/** The `authenticate` hook: accepts a live token as the password, and closes the client when it expires. */
export function authenticateToken(client, _username, password, done) {
  const expiresAt = tokens.get(String(password ?? ''));
  if (!expiresAt || expiresAt <= Date.now()) {
    tokenStats.refused++;
    done(Object.assign(new Error('bad user name or password'), { returnCode: 4 }), false);
    return;
  }
  tokenStats.accepted++;
  const timer = setTimeout(() => {
    if (client.closed) return;
    tokenStats.expiredClosed++;
    client.close();
  }, expiresAt - Date.now());
  client.once?.('close', () => clearTimeout(timer));
  done(null, true);
}

/**
 * Koa middleware for the credentials urls the tests fetch: `/__credentials/token?lifetime=ms`
 * answers a token as JSON; the others answer what a broken backend does (401, 500, an HTML page,
 * JSON without a password).
 */
export async function credentialsMiddleware(ctx, next) {
  const match = /^\/__credentials\/([a-z0-9-]+)/.exec(ctx.path);
  if (!match) return next();
  ctx.set('cache-control', 'no-store');
  const kind = match[1];
  if (kind === 'token') {
    tokenStats.fetchedBy = ctx.get('referer');
    const { token, expiresAt } = issueToken(Number(ctx.query.lifetime ?? 60000));
    ctx.type = 'application/json';
    ctx.body = JSON.stringify({ username: 'browser', password: token, expiresAt });
  } else if (kind === 'unauthorized') {
    ctx.status = 401;
    ctx.body = 'sign in first';
  } else if (kind === 'error') {
    ctx.status = 500;
    ctx.body = 'backend down';
  } else if (kind === 'html') {
    ctx.type = 'text/html';
    ctx.body = '<!doctype html><title>Sign in</title><form>…</form>';
  } else if (kind === 'no-password') {
    ctx.type = 'application/json';
    ctx.body = JSON.stringify({ username: 'browser' });
  } else {
    ctx.status = 404;
  }
}
