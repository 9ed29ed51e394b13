// Finote web app. Plain ES modules, no build step. User content is only ever written with
// textContent and DOM APIs (the page's CSP also enforces Trusted Types, so innerHTML with a
// string would throw).
import { api, ApiError, describe } from './api.js';

/** The colors offered; any other stored color is shown as the default one. */
const PALETTE = [
  ['default', 'Default'], ['red', 'Red'], ['orange', 'Orange'], ['yellow', 'Yellow'], ['green', 'Green'],
  ['teal', 'Teal'], ['blue', 'Blue'], ['purple', 'Purple'], ['pink', 'Pink'], ['gray', 'Gray'],
];
const COLORS = new Set(PALETTE.map(([name]) => name));
const EDITOR_FIELDS = ['title', 'content', 'tags', 'color'];
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const $ = (id) => document.getElementById(id);

const state = {
  user: null,
  notes: [],
  filterTag: null,
  editing: null, // the note being edited, or null when writing a new one
  draftOwner: null, // whose draft the editor kept when their session expired
};

// ---- small DOM helpers ----------------------------------------------------------------------

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : value);
  }
  node.append(...children);
  return node;
}

function colorClass(color) {
  return `color-${COLORS.has(color) ? color : 'default'}`;
}

function setColorClass(node, color) {
  node.classList.remove(...PALETTE.map(([name]) => `color-${name}`));
  node.classList.add(colorClass(color));
}

function show(node, visible) {
  node.hidden = !visible;
}

function banner(text, kind = 'info') {
  const node = $('banner');
  node.textContent = text ?? '';
  node.className = `banner ${kind}`;
  node.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  show(node, Boolean(text));
}

function setMessage(node, text) {
  node.textContent = text ?? '';
  show(node, Boolean(text));
}

/** Shows an error under one input and marks the input invalid. */
function fieldError(input, errorNode, text) {
  setMessage(errorNode, text);
  if (text) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

/** Disables a form's buttons while its request runs, so nothing is sent twice. */
async function busy(form, work) {
  const buttons = [...form.querySelectorAll('button')];
  form.setAttribute('aria-busy', 'true');
  buttons.forEach((b) => { b.disabled = true; });
  try {
    return await work();
  } finally {
    form.removeAttribute('aria-busy');
    buttons.forEach((b) => { b.disabled = false; });
  }
}

// ---- views -------------------------------------------------------------------------------

function showAuth(mode) {
  state.user = null;
  show($('loading'), false);
  show($('session'), false);
  show($('notes-view'), false);
  show($('auth-view'), true);
  const register = mode === 'register';
  $('auth-heading').textContent = register ? 'Create your account' : 'Log in';
  show($('login-form'), !register);
  show($('register-form'), register);
  document.title = register ? 'Create an account · Finote' : 'Log in · Finote';
}

async function showNotes(user) {
  state.user = user;
  $('whoami').textContent = user.username;
  show($('loading'), false);
  show($('auth-view'), false);
  show($('session'), true);
  $('notes-view').setAttribute('aria-busy', 'true'); // until the list has loaded
  show($('notes-view'), true);
  document.title = 'Your notes · Finote';
  await reload();
}

/** A 401 on a notes call: the session is gone. Back to login, keeping any draft in the editor. */
function sessionExpired() {
  const username = state.user?.username ?? '';
  state.draftOwner = username;
  showAuth('login');
  $('login-username').value = username;
  $('login-password').value = '';
  banner(describe(new ApiError(401, 'unauthorized')), 'error');
  (username ? $('login-password') : $('login-username')).focus();
}

/** Handles an error of a notes call that no form shows itself. */
function notesCallFailed(error) {
  if (error.status === 401) {
    sessionExpired();
  } else if (error.code === 'note_not_found') {
    banner(describe(error), 'error');
    reload();
  } else {
    banner(describe(error), 'error');
  }
}

// ---- auth ----------------------------------------------------------------------------------

async function onLogin(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const username = $('login-username').value;
  const password = $('login-password').value;
  setMessage($('login-error'), '');
  await busy(form, async () => {
    try {
      const user = await api.login(username, password);
      $('login-password').value = '';
      // A draft kept when a session expired belongs to that person only.
      if (state.draftOwner !== user.username) resetEditor();
      state.draftOwner = null;
      banner('');
      await showNotes(user);
      $('note-title').focus();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      setMessage($('login-error'), describe(error));
      $('login-password').value = '';
      (username ? $('login-password') : $('login-username')).focus();
    }
  });
}

async function onRegister(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const username = $('register-username').value;
  const password = $('register-password').value;
  setMessage($('register-error'), '');
  fieldError($('register-username'), $('register-username-error'), '');
  fieldError($('register-password'), $('register-password-error'), '');
  await busy(form, async () => {
    try {
      await api.register(username, password);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const input = error.field === 'password' || (error.field !== 'username' && username && !password)
        ? $('register-password') : $('register-username');
      if (error.field === 'username' || error.field === 'password') {
        fieldError(input, $(`${input.id}-error`), describe(error));
      } else {
        setMessage($('register-error'), describe(error));
      }
      input.focus();
      return;
    }
    // Registering does not log in (the HTTP contract): log in with the same credentials now.
    try {
      const user = await api.login(username, password);
      form.reset();
      banner(`Welcome, ${username}! Your account is ready.`, 'success');
      await showNotes(user);
      $('note-title').focus();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      form.reset();
      showAuth('login');
      $('login-username').value = username;
      banner(`Your account is ready, but logging in failed: ${describe(error)}`, 'error');
      $('login-password').focus();
    }
  });
}

async function onLogout() {
  try {
    await api.logout();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    banner(describe(error), 'error');
    return;
  }
  state.notes = [];
  state.filterTag = null;
  state.draftOwner = null;
  resetEditor();
  renderNotes();
  showAuth('login');
  banner('You have logged out.', 'success');
  $('login-username').focus();
}

// ---- notes list ----------------------------------------------------------------------------

async function reload() {
  const view = $('notes-view');
  view.setAttribute('aria-busy', 'true');
  try {
    state.notes = await api.notes();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    notesCallFailed(error);
    return;
  } finally {
    view.removeAttribute('aria-busy');
  }
  renderNotes();
}

function tagsOf(note) {
  return Array.isArray(note.tags) ? note.tags : [];
}

function allTags() {
  const tags = new Map();
  for (const note of state.notes) for (const tag of tagsOf(note)) if (!tags.has(tag)) tags.set(tag, tag);
  return [...tags.keys()].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' }));
}

function renderFilters(tags) {
  const list = $('tag-filters');
  const chip = (label, tag) => el('li', {}, el('button', {
    type: 'button', class: 'chip filter', 'data-tag': tag ?? '', 'aria-pressed': String(state.filterTag === tag), text: label,
  }));
  list.replaceChildren(chip('All notes', null), ...tags.map((tag) => chip(`#${tag}`, tag)));
  show($('filters'), tags.length > 0);
}

function renderNotes() {
  const tags = allTags();
  if (state.filterTag !== null && !tags.includes(state.filterTag)) state.filterTag = null;
  renderFilters(tags);

  // The API already orders pinned first, then newest first; the page keeps that order.
  const visible = state.notes.filter((note) => state.filterTag === null || tagsOf(note).includes(state.filterTag));
  const pinned = visible.filter((note) => note.isPinned === true);
  const others = visible.filter((note) => note.isPinned !== true);
  $('pinned-notes').replaceChildren(...pinned.map(noteCard));
  $('other-notes').replaceChildren(...others.map(noteCard));
  show($('pinned-section'), pinned.length > 0);
  show($('other-section'), others.length > 0);
  $('other-heading').textContent = pinned.length > 0 ? 'Others' : 'Notes';

  const empty = $('empty');
  if (visible.length > 0) setMessage(empty, '');
  else if (state.filterTag !== null) setMessage(empty, `No notes tagged “${state.filterTag}”.`);
  else setMessage(empty, 'No notes yet. Write your first one above.');
}

function noteCard(note) {
  const titleId = `note-${note.id}-title`;
  const title = note.title === '' ? el('h3', { id: titleId, class: 'note-title untitled', text: 'Untitled' })
    : el('h3', { id: titleId, class: 'note-title', text: note.title });
  const created = new Date(note.createdAt);
  const meta = el('p', { class: 'note-meta' },
    el('time', { datetime: note.createdAt, text: Number.isNaN(created.getTime()) ? '' : dateFormat.format(created) }));
  const tagList = el('ul', { class: 'chips note-tags', 'aria-label': 'Tags' },
    ...tagsOf(note).map((tag) => el('li', {}, el('button', {
      type: 'button', class: 'chip', 'data-tag': tag, title: `Show notes tagged ${tag}`, text: `#${tag}`,
    }))));
  const action = (name, label, extra = {}) =>
    el('button', { type: 'button', class: `button small ${extra.class ?? 'subtle'}`, 'data-action': name,
      'aria-describedby': titleId, ...extra.attributes, text: label });
  const actions = el('div', { class: 'note-actions' },
    action('pin', note.isPinned ? 'Unpin' : 'Pin', { attributes: { 'aria-pressed': String(note.isPinned === true) } }),
    action('edit', 'Edit'),
    action('delete', 'Delete', { class: 'danger-text' }));
  const article = el('article', { 'aria-labelledby': titleId }, title);
  if (note.content !== '') article.append(el('p', { class: 'note-content', text: note.content }));
  if (tagsOf(note).length > 0) article.append(tagList);
  article.append(meta, actions);
  const editing = state.editing !== null && String(state.editing.id) === String(note.id);
  return el('li', { class: `note ${colorClass(note.color)}${note.isPinned ? ' pinned' : ''}${editing ? ' editing' : ''}`,
    'data-id': String(note.id) }, article);
}

function noteById(id) {
  return state.notes.find((note) => String(note.id) === String(id));
}

function focusCardAction(id, action) {
  const button = document.querySelector(`li.note[data-id="${CSS.escape(String(id))}"] [data-action="${action}"]`);
  (button ?? $('note-title')).focus();
}

async function onNotesClick(event) {
  const button = event.target.closest('button');
  if (!button) return;
  if (button.dataset.tag !== undefined) {
    setFilter(button.dataset.tag === '' ? null : button.dataset.tag);
    return;
  }
  const card = button.closest('li.note');
  const note = card && noteById(card.dataset.id);
  if (!note) return;
  if (button.dataset.action === 'pin') await togglePin(note);
  else if (button.dataset.action === 'edit') startEditing(note);
  else if (button.dataset.action === 'delete') confirmDelete(note);
}

function setFilter(tag) {
  state.filterTag = tag;
  renderNotes();
  const pressed = [...$('tag-filters').querySelectorAll('button')].find((b) => b.dataset.tag === (tag ?? ''));
  pressed?.focus();
}

async function togglePin(note) {
  try {
    await api.updateNote(note.id, { isPinned: !note.isPinned });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    notesCallFailed(error);
    return;
  }
  banner(note.isPinned ? 'Note unpinned.' : 'Note pinned.', 'success');
  await reload();
  focusCardAction(note.id, 'pin');
}

// ---- delete ----------------------------------------------------------------------------------

let pendingDelete = null;

function confirmDelete(note) {
  pendingDelete = note;
  $('confirm-title').textContent = note.title === '' ? 'Untitled' : note.title;
  const dialog = $('confirm-delete');
  dialog.returnValue = '';
  dialog.showModal();
  $('confirm-cancel').focus();
}

async function onDeleteDialogClose() {
  const note = pendingDelete;
  pendingDelete = null;
  if (!note || $('confirm-delete').returnValue !== 'delete') return;
  try {
    await api.deleteNote(note.id);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    notesCallFailed(error);
    return;
  }
  if (state.editing && state.editing.id === note.id) resetEditor();
  banner('Note deleted.', 'success');
  await reload();
  $('note-title').focus();
}

// ---- editor ----------------------------------------------------------------------------------

function buildSwatches() {
  const fieldset = $('note-colors');
  for (const [name, label] of PALETTE) {
    const id = `color-${name}-radio`;
    fieldset.append(el('span', { class: 'swatch' },
      el('input', { type: 'radio', name: 'color', id, value: name, class: 'swatch-input' }),
      el('label', { for: id, class: `swatch-label ${colorClass(name)}`, title: label },
        el('span', { class: 'visually-hidden', text: label }))));
  }
  fieldset.addEventListener('change', () => setColorClass($('editor'), selectedColor() ?? state.editing?.color));
}

function selectedColor() {
  return $('editor').querySelector('input[name="color"]:checked')?.value ?? null;
}

function selectColor(color) {
  for (const radio of $('editor').querySelectorAll('input[name="color"]')) radio.checked = radio.value === color;
  setColorClass($('editor'), color);
}

function clearEditorErrors() {
  for (const field of EDITOR_FIELDS) {
    const input = field === 'color' ? $('color-default-radio') : $(`note-${field}`);
    fieldError(input, $(`note-${field}-error`), '');
  }
  setMessage($('editor-error'), '');
}

/** Marks the card being edited, without re-rendering the list (which would move the focus). */
function markEditedCard() {
  for (const card of document.querySelectorAll('li.note')) {
    card.classList.toggle('editing', state.editing !== null && card.dataset.id === String(state.editing.id));
  }
}

function resetEditor() {
  state.editing = null;
  markEditedCard();
  $('editor').reset();
  selectColor('default');
  clearEditorErrors();
  $('editor-heading').textContent = 'New note';
  $('save-note').textContent = 'Add note';
  show($('cancel-edit'), false);
}

function startEditing(note) {
  resetEditor();
  state.editing = note;
  markEditedCard();
  $('note-title').value = note.title;
  $('note-content').value = note.content;
  $('note-tags').value = tagsOf(note).join(', ');
  $('note-pinned').checked = note.isPinned === true;
  // An unknown color keeps its stored value unless the person picks another one.
  if (COLORS.has(note.color)) selectColor(note.color);
  else selectColor(null);
  setColorClass($('editor'), note.color);
  $('editor-heading').textContent = 'Edit note';
  $('save-note').textContent = 'Save changes';
  show($('cancel-edit'), true);
  $('editor').scrollIntoView({ block: 'nearest' });
  $('note-title').focus();
}

function cancelEditing() {
  const id = state.editing?.id;
  resetEditor();
  if (id !== undefined) focusCardAction(id, 'edit');
}

function parseTags(text) {
  const tags = [];
  for (const part of text.split(',')) {
    const tag = part.trim();
    if (tag !== '' && !tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

async function onSave(event) {
  event.preventDefault();
  const form = event.currentTarget;
  clearEditorErrors();
  const title = $('note-title').value;
  const content = $('note-content').value;
  if (title.trim() === '' && content.trim() === '') {
    fieldError($('note-title'), $('note-title-error'), 'Write a title or some content first.');
    $('note-title').focus();
    return;
  }
  const tags = parseTags($('note-tags').value);
  const note = { title, content, isPinned: $('note-pinned').checked, tags: tags.length > 0 ? tags : null };
  const color = selectedColor();
  if (color !== null) note.color = color;
  const editing = state.editing;

  await busy(form, async () => {
    try {
      if (editing) await api.updateNote(editing.id, note);
      else await api.createNote(note);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 401) {
        sessionExpired();
      } else if (error.code === 'note_not_found') {
        resetEditor();
        notesCallFailed(error);
      } else if (EDITOR_FIELDS.includes(error.field)) {
        const input = error.field === 'color' ? $('color-default-radio') : $(`note-${error.field}`);
        fieldError(input, $(`note-${error.field}-error`), describe(error));
        input.focus();
      } else {
        setMessage($('editor-error'), describe(error));
      }
      return;
    }
    resetEditor();
    banner(editing ? 'Note saved.' : 'Note added.', 'success');
    await reload();
    if (editing) focusCardAction(editing.id, 'edit');
    else $('note-title').focus();
  });
}

// ---- start ---------------------------------------------------------------------------------

function wire() {
  buildSwatches();
  selectColor('default');
  $('login-form').addEventListener('submit', onLogin);
  $('register-form').addEventListener('submit', onRegister);
  $('show-register').addEventListener('click', () => {
    banner('');
    showAuth('register');
    $('register-username').focus();
  });
  $('show-login').addEventListener('click', () => {
    banner('');
    showAuth('login');
    $('login-username').focus();
  });
  $('logout').addEventListener('click', onLogout);
  $('editor').addEventListener('submit', onSave);
  $('cancel-edit').addEventListener('click', cancelEditing);
  $('editor').addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && state.editing) {
      event.preventDefault();
      cancelEditing();
    }
  });
  $('notes-view').addEventListener('click', onNotesClick);
  $('confirm-delete').addEventListener('close', onDeleteDialogClose);
}

async function start() {
  wire();
  let user = null;
  try {
    user = await api.me();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status !== 401) banner(describe(error), 'error');
  }
  if (user) await showNotes(user);
  else showAuth('login');
  document.documentElement.dataset.ready = 'true';
}

start();
