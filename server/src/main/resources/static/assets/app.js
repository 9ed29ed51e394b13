// Finote web app. Plain ES modules, no build step. User content is only ever written with
// textContent and DOM APIs (the page's CSP also enforces Trusted Types, so innerHTML with a
// string would throw).
import { api, ApiError, describe, newIdempotencyKey } from './api.js';
import { appendHighlighted, hasTasks, parseLines, searchTerms, setTask } from './text.js';

/** The colors offered; any other stored color is shown as the default one. */
const PALETTE = [
  ['default', 'Default'], ['red', 'Red'], ['orange', 'Orange'], ['yellow', 'Yellow'], ['green', 'Green'],
  ['teal', 'Teal'], ['blue', 'Blue'], ['purple', 'Purple'], ['pink', 'Pink'], ['gray', 'Gray'],
];
const COLORS = new Set(PALETTE.map(([name]) => name));
const EDITOR_FIELDS = ['title', 'content', 'tags', 'color'];
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
/** Typing pauses this long before a search is sent, so a word typed quickly is one request. */
const SEARCH_DELAY_MS = 150;
/** Phone-sized screens: the new-note editor starts collapsed to one line, as Keep's does. */
const narrowScreen = window.matchMedia('(max-width: 600px)');

const $ = (id) => document.getElementById(id);

const state = {
  user: null,
  view: 'notes', // 'notes', 'trash' or 'settings'
  notes: [],
  query: '', // the search sent for the list on screen
  filterTag: null,
  editing: null, // the note being edited in its card, or null when writing a new one
  draftOwner: null, // whose draft the editor kept when their session expired
  pendingCreate: null, // { body, key } of a create that may have reached the server (a 503 or no answer)
  trash: [],
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

function timeText(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : dateFormat.format(date);
}

/** "Edited <time>": when the note last changed (its creation time from a server without updatedAt). */
function editedLine(note) {
  const at = note.updatedAt ?? note.createdAt;
  return el('p', { class: 'note-meta' }, 'Edited ',
    el('time', { datetime: at, title: `Created ${timeText(note.createdAt)}`, text: timeText(at) }));
}

/** Asks before something that cannot be undone; resolves to whether the person went ahead. */
function confirmAction(heading, text, okLabel) {
  const dialog = $('confirm');
  $('confirm-heading').textContent = heading;
  $('confirm-text').textContent = text;
  $('confirm-ok').textContent = okLabel;
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.showModal();
    $('confirm-cancel').focus();
  });
}

// ---- views -------------------------------------------------------------------------------

/** Clears every message and value the auth forms kept, so nothing of a previous attempt shows. */
function clearAuthForms() {
  $('login-form').reset();
  $('register-form').reset();
  for (const id of ['login-error', 'register-error']) setMessage($(id), '');
  fieldError($('register-username'), $('register-username-error'), '');
  fieldError($('register-password'), $('register-password-error'), '');
}

function showAuth(mode) {
  state.user = null;
  hideToast();
  show($('loading'), false);
  show($('session'), false);
  for (const view of ['notes-view', 'trash-view', 'settings-view']) show($(view), false);
  show($('auth-view'), true);
  const register = mode === 'register';
  $('auth-heading').textContent = register ? 'Create your account' : 'Log in';
  show($('login-form'), !register);
  show($('register-form'), register);
  document.title = register ? 'Create an account · Finote' : 'Log in · Finote';
}

async function showNotes(user) {
  state.user = user;
  state.view = 'notes';
  $('whoami').textContent = user.username;
  $('settings-user').textContent = user.username;
  show($('loading'), false);
  show($('auth-view'), false);
  show($('trash-view'), false);
  show($('settings-view'), false);
  show($('session'), true);
  $('notes-view').setAttribute('aria-busy', 'true'); // until the list has loaded
  show($('notes-view'), true);
  if (narrowScreen.matches && !state.editing && editorIsEmpty()) collapseEditor(true);
  document.title = 'Your notes · Finote';
  await reload();
}

/** After logging in: the editor on a wide screen; on a phone the notes (no keyboard popping up). */
function focusStart() {
  if (narrowScreen.matches && editorIsEmpty()) $('main').focus();
  else focusComposer();
}

/** Switches between the notes, the trash and the settings, with focus on the new view's heading. */
async function showView(view) {
  const from = state.view;
  hideToast();
  if (state.editing && view !== 'notes') resetEditor();
  state.view = view;
  show($('notes-view'), view === 'notes');
  show($('trash-view'), view === 'trash');
  show($('settings-view'), view === 'settings');
  $('open-settings').setAttribute('aria-pressed', String(view === 'settings'));
  document.title = { notes: 'Your notes · Finote', trash: 'Trash · Finote', settings: 'Settings · Finote' }[view];
  if (view === 'notes') {
    await reload();
    (from === 'settings' ? $('open-settings') : $('show-trash')).focus();
  } else if (view === 'trash') {
    $('trash-heading').focus();
    await loadTrash();
  } else {
    clearSettingsForms();
    $('settings-heading').focus();
  }
}

/** A 401 on a notes call: the session is gone. Back to login, keeping any draft in the editor. */
function sessionExpired() {
  const username = state.user?.username ?? '';
  state.draftOwner = username;
  state.view = 'notes';
  showAuth('login');
  clearAuthForms();
  $('login-username').value = username;
  banner(describe(new ApiError(401, 'unauthorized')), 'error');
  (username ? $('login-password') : $('login-username')).focus();
}

/** Handles an error of a notes call that no form shows itself. */
function notesCallFailed(error) {
  if (!(error instanceof ApiError)) throw error;
  if (error.status === 401) {
    sessionExpired();
  } else if (error.code === 'note_not_found') {
    banner(describe(error), 'error');
    if (state.view === 'trash') loadTrash();
    else reload();
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
      clearAuthForms();
      // A draft kept when a session expired belongs to that person only.
      if (state.draftOwner !== user.username) resetEditor();
      state.draftOwner = null;
      banner('');
      await showNotes(user);
      focusStart();
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
      clearAuthForms();
      resetEditor();
      state.draftOwner = null;
      banner(`Welcome, ${username}! Your account is ready.`, 'success');
      await showNotes(user);
      focusStart();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      clearAuthForms();
      showAuth('login');
      $('login-username').value = username;
      banner(`Your account is ready, but logging in failed: ${describe(error)}`, 'error');
      $('login-password').focus();
    }
  });
}

/** Forgets everything of the person who was logged in, and shows an empty login form. */
function signedOut(message) {
  state.notes = [];
  state.trash = [];
  state.query = '';
  state.filterTag = null;
  state.draftOwner = null;
  state.pendingCreate = null;
  state.view = 'notes';
  $('search').value = '';
  resetEditor();
  renderNotes();
  clearSettingsForms();
  showAuth('login');
  clearAuthForms();
  banner(message, 'success');
  $('login-username').focus();
}

async function onLogout() {
  try {
    await api.logout();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    banner(describe(error), 'error');
    return;
  }
  signedOut('You have logged out.');
}

// ---- notes list ----------------------------------------------------------------------------

let listRequests = 0; // numbers each list request, so an older answer never replaces a newer one

async function reload() {
  const request = ++listRequests;
  const view = $('notes-view');
  view.setAttribute('aria-busy', 'true');
  const query = $('search').value.trim();
  let notes;
  try {
    notes = await api.notes({ q: query });
  } catch (error) {
    if (request !== listRequests) return;
    view.removeAttribute('aria-busy');
    notesCallFailed(error);
    return;
  }
  if (request !== listRequests) return; // a newer search is on its way
  state.notes = notes;
  state.query = query;
  renderNotes();
  view.removeAttribute('aria-busy');
}

let searchTimer = null;

function onSearchInput() {
  // Busy at once (not only when the request leaves), so nobody reads the list of the old search.
  $('notes-view').setAttribute('aria-busy', 'true');
  clearTimeout(searchTimer);
  searchTimer = setTimeout(reload, SEARCH_DELAY_MS);
}

function onSearchKeydown(event) {
  if (event.key === 'Escape' && $('search').value !== '') {
    event.preventDefault();
    $('search').value = '';
    onSearchInput();
  }
}

function tagsOf(note) {
  return Array.isArray(note.tags) ? note.tags : [];
}

function allTags() {
  const tags = new Set();
  for (const note of state.notes) for (const tag of tagsOf(note)) tags.add(tag);
  return [...tags].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' }));
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
  placeEditor(null); // back to the top unless a card below takes it

  const terms = searchTerms(state.query);
  const searching = state.query !== '';
  const visible = state.notes.filter((note) => state.filterTag === null || tagsOf(note).includes(state.filterTag));
  // Without a search the API orders pinned first, then newest first; with one, best match first.
  // The page keeps the API's order either way.
  const pinned = searching ? [] : visible.filter((note) => note.isPinned === true);
  const others = searching ? [] : visible.filter((note) => note.isPinned !== true);
  const card = (note) => noteCard(note, terms);
  $('pinned-notes').replaceChildren(...pinned.map(card));
  $('other-notes').replaceChildren(...others.map(card));
  $('result-notes').replaceChildren(...(searching ? visible.map(card) : []));
  show($('pinned-section'), pinned.length > 0);
  show($('other-section'), others.length > 0);
  show($('results-section'), searching && visible.length > 0);
  $('other-heading').textContent = pinned.length > 0 ? 'Others' : 'Notes';
  clipLongNotes();

  const empty = $('empty');
  if (visible.length > 0) setMessage(empty, '');
  else if (searching) setMessage(empty, `No notes match “${state.query}”.`);
  else if (state.filterTag !== null) setMessage(empty, `No notes tagged “${state.filterTag}”.`);
  else setMessage(empty, 'No notes yet. Write your first one above.');
  $('search-status').textContent = searching
    ? `${visible.length === 1 ? '1 note matches' : `${visible.length} notes match`} “${state.query}”.` : '';
}

/** The note's text: checklist lines as checkboxes that can be ticked, search words marked. */
function noteContent(note, terms) {
  if (!hasTasks(note.content)) {
    const text = el('p', { class: 'note-content' });
    appendHighlighted(text, note.content, terms);
    return text;
  }
  const box = el('div', { class: 'note-content checklist' });
  let run = null; // consecutive plain lines share one block
  for (const line of parseLines(note.content)) {
    if (!line.task) {
      if (run === null) {
        run = el('span', { class: 'text-lines' });
        box.append(run);
      } else {
        run.append('\n');
      }
      appendHighlighted(run, line.text, terms);
      continue;
    }
    run = null;
    const text = el('span', { class: 'task-text' });
    appendHighlighted(text, line.text, terms);
    box.append(el('label', { class: `task${line.done ? ' done' : ''}` },
      el('input', { type: 'checkbox', class: 'task-box', 'data-line': String(line.index), checked: line.done }), text));
  }
  return box;
}

function noteCard(note, terms = []) {
  const titleId = `note-${note.id}-title`;
  const title = el('h3', { id: titleId, class: note.title === '' ? 'note-title untitled' : 'note-title' });
  if (note.title === '') title.textContent = 'Untitled';
  else appendHighlighted(title, note.title, terms);
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
  if (note.content !== '') article.append(noteContent(note, terms));
  if (tagsOf(note).length > 0) article.append(tagList);
  article.append(editedLine(note), actions);
  const editing = state.editing !== null && String(state.editing.id) === String(note.id);
  const card = el('li', { class: `note ${colorClass(note.color)}${note.isPinned ? ' pinned' : ''}${editing ? ' editing' : ''}`,
    'data-id': String(note.id) }, article);
  if (editing) placeEditor(card);
  return card;
}

/**
 * Long notes show their first lines with a "Show more" button, instead of a scroll box inside
 * the card (a scroller in a scrolling page traps the wheel and the thumb, and hides the rest).
 */
function clipLongNotes() {
  const long = [...document.querySelectorAll('#notes-view .note-content')]
    .filter((content) => content.scrollHeight > content.clientHeight + 1); // measure all, then change
  for (const content of long) {
    const id = `${content.closest('li.note').dataset.id}-content`;
    content.id = `note-${id}`;
    content.closest('li.note').classList.add('clipped');
    content.after(el('button', { type: 'button', class: 'link more', 'data-action': 'more', 'aria-expanded': 'false',
      'aria-controls': content.id, text: 'Show more' }));
  }
}

function toggleMore(button) {
  const card = button.closest('li.note');
  const expanded = button.getAttribute('aria-expanded') !== 'true';
  card.classList.toggle('expanded', expanded);
  button.setAttribute('aria-expanded', String(expanded));
  button.textContent = expanded ? 'Show less' : 'Show more';
}

function noteById(id) {
  return state.notes.find((note) => String(note.id) === String(id));
}

function cardOf(id) {
  return document.querySelector(`#notes-view li.note[data-id="${CSS.escape(String(id))}"]`);
}

function focusCardAction(id, action) {
  const button = cardOf(id)?.querySelector(`[data-action="${action}"]`);
  if (button) button.focus();
  else focusComposer();
}

async function onNotesClick(event) {
  const button = event.target.closest('button');
  const card = event.target.closest('li.note');
  const note = card && noteById(card.dataset.id);
  if (!button) {
    // A click on a card's text opens it for editing, as in Keep (the Edit button does so for keys).
    const plain = !event.target.closest('a, input, label, .editor') && document.getSelection().isCollapsed;
    if (note && plain && event.target.closest('article')) startEditing(note);
    return;
  }
  if (button.dataset.tag !== undefined) {
    setFilter(button.dataset.tag === '' ? null : button.dataset.tag);
    return;
  }
  if (button.dataset.action === 'more') {
    toggleMore(button);
    return;
  }
  if (!note) return;
  if (button.dataset.action === 'pin') await togglePin(note);
  else if (button.dataset.action === 'edit') startEditing(note);
  else if (button.dataset.action === 'delete') await moveToTrash(note);
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
    notesCallFailed(error);
    return;
  }
  banner(note.isPinned ? 'Note unpinned.' : 'Note pinned.', 'success');
  await reload();
  focusCardAction(note.id, 'pin');
}

// ---- checklists ----------------------------------------------------------------------------

/** Ticking a checklist line saves the note's content with that one line changed. */
async function onTaskChange(event) {
  const box = event.target;
  if (!box.matches('input.task-box')) return;
  const card = box.closest('li.note');
  const note = noteById(card.dataset.id);
  if (!note) return;
  const line = Number(box.dataset.line);
  const content = setTask(note.content, line, box.checked);
  box.disabled = true;
  let saved;
  try {
    saved = await api.updateNote(note.id, { content });
  } catch (error) {
    box.checked = !box.checked;
    box.disabled = false;
    notesCallFailed(error);
    return;
  }
  Object.assign(note, saved ?? { content });
  box.disabled = false;
  box.closest('label').classList.toggle('done', box.checked);
  const edited = card.querySelector('.note-meta');
  edited?.replaceWith(editedLine(note));
  box.focus();
}

// ---- delete, undo ----------------------------------------------------------------------------

let undo = null; // what the toast's Undo button does

function showToast(text, undoAction) {
  undo = undoAction;
  $('toast-text').textContent = text;
  show($('toast-undo'), undoAction !== null);
  show($('toast'), true);
}

function hideToast() {
  undo = null;
  show($('toast'), false);
}

/** Deleting moves the note to the trash at once; the toast offers the way back. */
async function moveToTrash(note) {
  try {
    await api.deleteNote(note.id);
  } catch (error) {
    notesCallFailed(error);
    return;
  }
  if (state.editing && String(state.editing.id) === String(note.id)) resetEditor();
  banner('');
  await reload();
  showToast('Note moved to the trash.', () => restore(note));
  $('toast-undo').focus(); // the card and its buttons are gone: Enter now undoes, Escape moves on
}

async function restore(note) {
  try {
    await api.restoreNote(note.id);
  } catch (error) {
    hideToast();
    notesCallFailed(error);
    return;
  }
  showToast('Note restored.', null);
  await reload();
  focusCardAction(note.id, 'edit');
}

function dismissToast() {
  const hadFocus = $('toast').contains(document.activeElement);
  hideToast();
  if (hadFocus && state.view === 'notes') focusComposer();
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

/** Puts the one editor form into the card being edited, or back at the top of the page. */
function placeEditor(card) {
  const editor = $('editor');
  if (card) {
    card.replaceChildren(editor);
  } else if (editor.parentElement !== $('composer')) {
    $('composer').append(editor);
  }
}

function editorIsEmpty() {
  return ['note-title', 'note-content', 'note-tags'].every((id) => $(id).value === '');
}

function collapseEditor(collapsed) {
  $('editor').classList.toggle('collapsed', collapsed);
  $('note-content').rows = collapsed ? 1 : 3;
}

/** Focus on the new-note editor's title, opening it first if it was collapsed. */
function focusComposer() {
  collapseEditor(false);
  $('note-title').focus();
}

/**
 * On a phone the empty new-note editor folds back to one line once focus has left it. Checked a
 * moment later: a press on a label inside it (Pin, a color) blurs first and focuses its input after.
 */
function onEditorFocusOut() {
  setTimeout(() => {
    const editor = $('editor');
    if (state.editing || !narrowScreen.matches || editor.contains(document.activeElement) || editor.matches(':active')) return;
    if (editorIsEmpty() && !editor.hasAttribute('aria-busy')) collapseEditor(true);
  }, 0);
}

function resetEditor() {
  const wasEditing = state.editing !== null;
  state.editing = null;
  $('editor').reset();
  selectColor('default');
  clearEditorErrors();
  $('editor-heading').textContent = 'New note';
  $('save-note').textContent = 'Add note';
  show($('cancel-edit'), false);
  if (wasEditing) renderNotes(); // the card shows the note again, the editor goes back to the top
  if (narrowScreen.matches && !$('editor').contains(document.activeElement)) collapseEditor(true);
}

function startEditing(note) {
  hideToast();
  resetEditor();
  state.editing = note;
  collapseEditor(false);
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
  renderNotes(); // the note's card opens as the editor
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

/**
 * The Idempotency-Key for this create: the same as the last attempt's when that one may have
 * reached the server (a 503 or no answer at all) and this is the same note again, else a new one.
 */
function createKey(body) {
  const text = JSON.stringify(body);
  if (state.pendingCreate?.body !== text) state.pendingCreate = { body: text, key: newIdempotencyKey() };
  return state.pendingCreate.key;
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
      else await api.createNote(note, createKey(note));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const mayHaveReachedTheServer = error.status === 0 || error.status === 503;
      if (!editing && !mayHaveReachedTheServer) state.pendingCreate = null;
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
    if (!editing) state.pendingCreate = null;
    resetEditor();
    banner(editing ? 'Note saved.' : 'Note added.', 'success');
    await reload();
    if (editing) focusCardAction(editing.id, 'edit');
    else focusComposer();
  });
}

// ---- trash ---------------------------------------------------------------------------------

async function loadTrash() {
  const view = $('trash-view');
  view.setAttribute('aria-busy', 'true');
  try {
    state.trash = await api.trash();
  } catch (error) {
    view.removeAttribute('aria-busy');
    notesCallFailed(error);
    return;
  }
  renderTrash();
  view.removeAttribute('aria-busy');
}

function renderTrash() {
  $('trash-notes').replaceChildren(...state.trash.map(trashCard));
  show($('trash-empty'), state.trash.length === 0);
  show($('empty-trash'), state.trash.length > 0);
}

function trashCard(note) {
  const titleId = `trash-${note.id}-title`;
  const title = el('h3', { id: titleId, class: note.title === '' ? 'note-title untitled' : 'note-title',
    text: note.title === '' ? 'Untitled' : note.title });
  const article = el('article', { 'aria-labelledby': titleId }, title);
  if (note.content !== '') article.append(el('p', { class: 'note-content', text: note.content }));
  const deleted = note.deletedAt ?? note.updatedAt ?? note.createdAt;
  article.append(el('p', { class: 'note-meta' }, 'Deleted ', el('time', { datetime: deleted, text: timeText(deleted) })));
  const action = (name, label, kind) => el('button', { type: 'button', class: `button small ${kind}`, 'data-action': name,
    'aria-describedby': titleId, text: label });
  article.append(el('div', { class: 'note-actions' },
    action('restore', 'Restore', 'subtle'), action('delete-for-good', 'Delete forever', 'danger-text')));
  return el('li', { class: `note ${colorClass(note.color)}`, 'data-id': String(note.id) }, article);
}

async function onTrashClick(event) {
  const button = event.target.closest('button[data-action]');
  const card = button?.closest('li.note');
  const note = card && state.trash.find((n) => String(n.id) === card.dataset.id);
  if (!note) return;
  const name = note.title === '' ? 'Untitled' : note.title;
  if (button.dataset.action === 'restore') {
    try {
      await api.restoreNote(note.id);
    } catch (error) {
      notesCallFailed(error);
      return;
    }
    banner(`“${name}” is back in your notes.`, 'success');
  } else {
    if (!await confirmAction('Delete this note forever?', `“${name}” will be deleted for good. This cannot be undone.`,
      'Delete forever')) return;
    try {
      await api.deleteForGood(note.id);
    } catch (error) {
      notesCallFailed(error);
      return;
    }
    banner(`“${name}” was deleted for good.`, 'success');
  }
  const index = state.trash.indexOf(note);
  await loadTrash();
  // Focus the next note's first button, or the heading when the trash is now empty.
  const next = $('trash-notes').children[Math.min(index, $('trash-notes').children.length - 1)];
  (next?.querySelector('button') ?? $('trash-heading')).focus();
}

async function onEmptyTrash() {
  const count = state.trash.length;
  const text = `${count === 1 ? 'The note' : `All ${count} notes`} in the trash will be deleted for good. This cannot be undone.`;
  if (!await confirmAction('Empty the trash?', text, 'Empty trash')) return;
  let result;
  try {
    result = await api.emptyTrash();
  } catch (error) {
    notesCallFailed(error);
    return;
  }
  const deleted = result?.deleted ?? count;
  banner(`${deleted === 1 ? '1 note was' : `${deleted} notes were`} deleted for good.`, 'success');
  await loadTrash();
  $('trash-heading').focus();
}

// ---- settings: import, password, account -----------------------------------------------------

function clearSettingsForms() {
  for (const id of ['import-form', 'password-form', 'delete-account-form']) $(id).reset();
  for (const id of ['import-error', 'import-result', 'password-error', 'delete-account-error']) setMessage($(id), '');
  fieldError($('current-password'), $('current-password-error'), '');
  fieldError($('new-password'), $('new-password-error'), '');
  fieldError($('delete-password'), $('delete-password-error'), '');
}

/** Why one note of an import was left out, in words where the code is known. */
const IMPORT_PROBLEMS = {
  malformed_json: 'not valid JSON',
  not_a_keep_note: 'not a Google Keep note',
  note_must_be_object: 'not a note',
  invalid_tag: 'a tag that cannot be saved',
};

function problemText(problem) {
  if (typeof problem === 'string') return problem;
  const where = problem?.note ?? problem?.file ?? problem?.title;
  const code = problem?.message ?? problem?.reason ?? JSON.stringify(problem);
  const what = IMPORT_PROBLEMS[code] ?? describe(new ApiError(400, code, problem?.field));
  return where ? `${where}: ${what}` : what;
}

async function onImport(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const file = $('import-file').files[0];
  setMessage($('import-error'), '');
  setMessage($('import-result'), '');
  if (!file) {
    setMessage($('import-error'), 'Choose a file to import first.');
    $('import-file').focus();
    return;
  }
  await busy(form, async () => {
    let result;
    try {
      result = await api.importNotes(file);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 401) {
        sessionExpired();
        return;
      }
      setMessage($('import-error'), error.status === 413 ? 'That file is too large to import (over 50 MiB).' : describe(error));
      $('import-file').focus();
      return;
    }
    const imported = result?.imported ?? 0;
    const skipped = result?.skipped ?? 0;
    const problems = Array.isArray(result?.problems) ? result.problems : [];
    const summary = `Imported ${imported === 1 ? '1 note' : `${imported} notes`}`
      + `${skipped > 0 ? `; ${skipped === 1 ? '1 was' : `${skipped} were`} already there` : ''}.`;
    const box = $('import-result');
    box.replaceChildren(el('p', { text: summary }));
    if (problems.length > 0) {
      box.append(el('p', { text: `${problems.length === 1 ? '1 note' : `${problems.length} notes`} could not be imported:` }),
        el('ul', {}, ...problems.map((problem) => el('li', { text: problemText(problem) }))));
    }
    show(box, true);
    $('import-file').value = '';
  });
}

async function onChangePassword(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const current = $('current-password');
  const next = $('new-password');
  fieldError(current, $('current-password-error'), '');
  fieldError(next, $('new-password-error'), '');
  setMessage($('password-error'), '');
  if (current.value === '' || next.value === '') {
    const missing = current.value === '' ? current : next;
    fieldError(missing, $(`${missing.id}-error`), missing === current ? 'Enter your current password.' : 'Choose a new password.');
    missing.focus();
    return;
  }
  await busy(form, async () => {
    try {
      await api.changePassword(current.value, next.value);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.code === 'invalid_credentials') {
        current.value = '';
        fieldError(current, $('current-password-error'), 'That is not your current password.');
        current.focus();
      } else if (error.status === 401) {
        sessionExpired();
      } else if (error.status === 400 && error.field !== 'currentPassword') {
        fieldError(next, $('new-password-error'), describe({ ...error, field: 'newPassword' }));
        next.focus();
      } else {
        setMessage($('password-error'), describe(error));
      }
      return;
    }
    form.reset();
    banner('Your password has been changed. Your other devices have been logged out.', 'success');
    $('settings-heading').focus();
  });
}

async function onDeleteAccount(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const password = $('delete-password');
  fieldError(password, $('delete-password-error'), '');
  setMessage($('delete-account-error'), '');
  if (password.value === '') {
    fieldError(password, $('delete-password-error'), 'Enter your password to delete your account.');
    password.focus();
    return;
  }
  if (!await confirmAction('Delete your account?',
    `The account “${state.user?.username ?? ''}” and all its notes will be deleted for good. This cannot be undone.`,
    'Delete account')) return;
  await busy(form, async () => {
    try {
      await api.deleteAccount(password.value);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.code === 'invalid_credentials') {
        password.value = '';
        fieldError(password, $('delete-password-error'), 'Wrong password. Your account was not deleted.');
        password.focus();
      } else if (error.status === 401) {
        sessionExpired();
      } else {
        setMessage($('delete-account-error'), describe(error));
      }
      return;
    }
    signedOut('Your account and all its notes have been deleted.');
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
    clearAuthForms();
    showAuth('register');
    $('register-username').focus();
  });
  $('show-login').addEventListener('click', () => {
    banner('');
    clearAuthForms();
    showAuth('login');
    $('login-username').focus();
  });
  $('logout').addEventListener('click', onLogout);
  $('open-settings').addEventListener('click', () => showView(state.view === 'settings' ? 'notes' : 'settings'));
  $('editor').addEventListener('submit', onSave);
  $('editor').addEventListener('focusin', () => collapseEditor(false));
  $('editor').addEventListener('focusout', onEditorFocusOut);
  $('cancel-edit').addEventListener('click', cancelEditing);
  $('editor').addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    if (state.editing) {
      event.preventDefault();
      cancelEditing();
    } else if (narrowScreen.matches && editorIsEmpty()) {
      event.preventDefault();
      $('main').focus(); // folds the empty editor back to its one line
    }
  });
  $('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(searchTimer);
    reload();
  });
  $('search').addEventListener('input', onSearchInput);
  $('search').addEventListener('keydown', onSearchKeydown);
  $('show-trash').addEventListener('click', () => showView('trash'));
  $('leave-trash').addEventListener('click', () => showView('notes'));
  $('leave-settings').addEventListener('click', () => showView('notes'));
  $('notes-view').addEventListener('click', onNotesClick);
  $('notes-view').addEventListener('change', onTaskChange);
  $('trash-view').addEventListener('click', onTrashClick);
  $('empty-trash').addEventListener('click', onEmptyTrash);
  $('toast-undo').addEventListener('click', () => {
    const action = undo;
    hideToast();
    action?.();
  });
  $('toast-close').addEventListener('click', dismissToast);
  $('toast').addEventListener('keydown', (event) => {
    if (event.key === 'Escape') dismissToast();
  });
  $('import-form').addEventListener('submit', onImport);
  $('password-form').addEventListener('submit', onChangePassword);
  $('delete-account-form').addEventListener('submit', onDeleteAccount);
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
