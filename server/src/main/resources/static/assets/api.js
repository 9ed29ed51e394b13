// The Finote HTTP API (the README's "The API" section), same origin, and the words shown for its errors.

/** An error answer from the API, or a failure to reach it (status 0). */
export class ApiError extends Error {
  constructor(status, code, field, retryAfterSeconds) {
    super(code);
    this.status = status;
    this.code = code;
    this.field = field ?? null;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

async function call(method, path, body, headers = {}) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers } };
  if (body instanceof Blob) {
    init.body = body; // a file to import, sent as it is with its own Content-Type header
  } else if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'network_error');
  }
  if (response.status === 204) return null;
  let payload = null;
  try {
    payload = await response.json();
  } catch {
    payload = null; // not JSON: a proxy's error page, for instance
  }
  if (!response.ok) {
    const retryAfter = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
    throw new ApiError(response.status, payload?.message ?? `http_${response.status}`, payload?.field,
      Number.isFinite(retryAfter) ? retryAfter : null);
  }
  return payload;
}

/** The list's query string: search words and paging, only the parameters that are set. */
function listQuery({ q, tag, limit } = {}) {
  const params = new URLSearchParams();
  if (q !== undefined && q.trim() !== '') params.set('q', q);
  if (tag) params.set('tag', tag);
  if (limit) params.set('limit', String(limit));
  const query = params.toString();
  return query === '' ? '' : `?${query}`;
}

/** A fresh random key for one create (RFC 4122 version 4; getRandomValues works on plain http too). */
export function newIdempotencyKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The Content-Type the import endpoint expects for a chosen file. */
function importType(file) {
  if (/\.zip$/i.test(file.name) || file.type === 'application/zip' || file.type === 'application/x-zip-compressed') {
    return 'application/zip';
  }
  return 'application/json';
}

const note = (id) => `/api/notes/${encodeURIComponent(id)}`;

export const api = {
  me: () => call('GET', '/api/auth/me'),
  register: (username, password) => call('POST', '/api/auth/register', { username, password }),
  login: (username, password) => call('POST', '/api/auth/login', { username, password }),
  logout: () => call('POST', '/api/auth/logout'),
  changePassword: (currentPassword, newPassword) => call('PUT', '/api/auth/password', { currentPassword, newPassword }),
  deleteAccount: (password) => call('DELETE', '/api/auth/me', { password }),
  notes: (filter) => call('GET', `/api/notes${listQuery(filter)}`),
  /** The same key on a retry of the same create lets the server answer it without a second note. */
  createNote: (body, idempotencyKey) => call('POST', '/api/notes', body, { 'Idempotency-Key': idempotencyKey }),
  updateNote: (id, changes) => call('PUT', note(id), changes),
  deleteNote: (id) => call('DELETE', note(id)),
  trash: () => call('GET', '/api/notes/trash'),
  restoreNote: (id) => call('POST', `${note(id)}/restore`),
  deleteForGood: (id) => call('DELETE', `/api/notes/trash/${encodeURIComponent(id)}`),
  emptyTrash: () => call('DELETE', '/api/notes/trash'),
  importNotes: (file) => call('POST', '/api/notes/import', file, { 'Content-Type': importType(file) }),
};

const FIELD_NAMES = {
  title: 'The title', content: 'The content', tags: 'A tag', color: 'The color', isPinned: 'The pin',
  username: 'The username', password: 'The password', id: 'The note id', q: 'The search',
  newPassword: 'The new password', currentPassword: 'The current password',
};

const LIMITS = {
  title: 'at most 1,000 characters', content: 'at most 100,000 characters', tags: 'at most 100 characters per tag',
  color: 'at most 32 characters', username: 'at most 100 characters', password: 'at most 72 bytes',
};

/** "12 seconds", "3 minutes": how long a throttled login must wait. */
export function waitText(seconds) {
  const s = Math.max(1, seconds ?? 1);
  if (s < 60) return s === 1 ? '1 second' : `${s} seconds`;
  const minutes = Math.ceil(s / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** A sentence for the person, for every error code the API documents. */
export function describe(error) {
  const field = FIELD_NAMES[error.field] ?? 'A field';
  switch (error.code) {
    case 'network_error': return 'Cannot reach the Finote server. Check your connection and try again.';
    case 'invalid_credentials': return 'Wrong username or password.';
    case 'Missing credentials': return 'Enter your username and your password.';
    case 'username_and_password_required': return 'Choose a username and a password.';
    case 'username_already_exists': return 'That username is taken. Choose another one.';
    case 'username_too_long': return 'That username is too long (at most 100 characters).';
    case 'password_too_long': return 'That password is too long (at most 72 bytes).';
    case 'password_too_short': return 'That password is too short (at least 8 characters).';
    case 'password_too_common': return 'That password is one of the most common ones. Choose one that is harder to guess.';
    case 'registration_closed': return 'New accounts cannot be created on this server.';
    case 'too_many_login_attempts':
      return `Too many failed login attempts. Wait ${waitText(error.retryAfterSeconds)} before trying again.`;
    case 'unauthorized': return 'Your session has expired. Please log in again.';
    case 'note_not_found': return 'That note no longer exists; the list has been refreshed.';
    case 'field_required': return `${field} is required.`;
    case 'field_too_long': return `${field} is too long (${LIMITS[error.field] ?? 'too many characters'}).`;
    case 'too_many_items': return `Too many ${error.field === 'tags' ? 'tags' : 'items'} (at most 50).`;
    case 'field_must_be_string':
    case 'field_must_be_boolean':
    case 'field_must_be_array_of_strings': return `${field} has the wrong type.`;
    case 'field_must_not_contain_nul_character': return `${field} contains a character that cannot be saved (NUL).`;
    case 'payload_too_large': return 'This note is too large to save (over 1 MiB).';
    case 'q_too_long': return 'That search is too long (at most 200 characters).';
    case 'unsupported_import':
      return 'That file is not a Finote export or a Google Keep export (a Takeout .zip or one note .json).';
    case 'service_unavailable': return 'Finote cannot reach its database right now. Try again in a moment.';
    default:
      return error.status >= 500
        ? `The server had a problem (${error.status}). Try again in a moment.`
        : `The request was refused (${error.status} ${error.code}).`;
  }
}
