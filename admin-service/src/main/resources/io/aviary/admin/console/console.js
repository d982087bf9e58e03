// The Aviary web admin console. Everything it shows and changes goes through the admin API (/admin/api) with the
// login's cookie and, on every call, its CSRF token; data from the server is put into the page as text, never as HTML.
'use strict';

const API = '/admin/api';
const SESSION = '/admin/console/session';
const PAGE_SIZE = 20;
const REFRESH_MILLIS = 5000;

let csrf = null;
let refresh = null;
let lastRouted = null;
let usersOffset = 0;
let rosterOf = null;

const $ = id => document.getElementById(id);

async function call(method, path, body) {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: Object.assign({ 'X-CSRF-Token': csrf || '' }, body === undefined ? {} : { 'Content-Type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) {
    showLogin('Your login has ended; log in again.');
    throw new Error('logged out');
  }
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    throw new Error((data && data.message) || ('HTTP ' + response.status));
  }
  return data;
}

function element(name, text, className) {
  const node = document.createElement(name);
  if (text !== undefined && text !== null) {
    node.textContent = String(text);
  }
  if (className) {
    node.className = className;
  }
  return node;
}

function button(label, action, danger) {
  const node = element('button', label, danger ? 'danger' : undefined);
  node.type = 'button';
  node.addEventListener('click', () => action().catch(report));
  return node;
}

function row(cells) {
  const tr = document.createElement('tr');
  for (const cell of cells) {
    const td = document.createElement('td');
    if (cell instanceof Node) {
      td.appendChild(cell);
    } else if (Array.isArray(cell)) {
      cell.forEach(c => td.appendChild(c));
    } else {
      td.textContent = cell === null || cell === undefined ? '' : String(cell);
    }
    tr.appendChild(td);
  }
  return tr;
}

function fill(tbodyId, rows, empty) {
  const tbody = $(tbodyId);
  tbody.replaceChildren(...rows);
  if (rows.length === 0) {
    const tr = row([empty]);
    tr.firstChild.colSpan = tbody.parentElement.querySelectorAll('th').length;
    tbody.appendChild(tr);
  }
}

function report(error) {
  if (error.message !== 'logged out') {
    $('app-error').textContent = error.message;
  }
}

// Login

function showLogin(message) {
  csrf = null;
  stopRefresh();
  $('app').hidden = true;
  $('who').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message || '';
}

function showApp(session) {
  csrf = session.csrf;
  $('admin-name').textContent = session.admin;
  $('login').hidden = true;
  $('who').hidden = false;
  $('app').hidden = false;
  show(location.hash.slice(1) || 'dashboard');
}

async function login(event) {
  event.preventDefault();
  const response = await fetch(SESSION, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: $('login-username').value, password: $('login-password').value }),
  });
  const data = await response.json();
  $('login-password').value = '';
  if (response.ok) {
    showApp(data);
  } else {
    $('login-error').textContent = data.message;
  }
}

async function logout() {
  await fetch(SESSION, { method: 'DELETE', credentials: 'same-origin', headers: { 'X-CSRF-Token': csrf || '' } });
  showLogin('Logged out.');
}

// Pages

const pages = {
  dashboard: showDashboard,
  users: () => showUsers(usersOffset),
  sessions: showGateways,
  reports: showReports,
  audit: showAudit,
  server: showServer,
  rooms: showRooms,
  nodes: showNodes,
};

function show(page) {
  if (!pages[page]) {
    page = 'dashboard';
  }
  stopRefresh();
  $('app-error').textContent = '';
  document.querySelectorAll('.page').forEach(p => { p.hidden = p.id !== 'page-' + page; });
  document.querySelectorAll('nav button').forEach(b => b.classList.toggle('current', b.dataset.page === page));
  if (location.hash !== '#' + page) {
    history.replaceState(null, '', '#' + page);
  }
  pages[page]().catch(report);
}

function stopRefresh() {
  if (refresh) {
    clearInterval(refresh);
    refresh = null;
  }
}

function figure(value, digits) {
  return value === null || value === undefined ? 'n/a' : Number(value).toFixed(digits || 0);
}

async function showDashboard() {
  lastRouted = null;
  await updateDashboard();
  refresh = setInterval(() => updateDashboard().catch(report), REFRESH_MILLIS);
}

async function updateDashboard() {
  const [statistics, metrics] = await Promise.all([call('GET', API + '/statistics'), call('GET', API + '/metrics')]);
  $('stat-registered').textContent = statistics.registeredUsers;
  $('stat-online-users').textContent = statistics.onlineUsers;
  $('stat-sessions').textContent = statistics.onlineSessions;
  $('stat-gateways').textContent = statistics.gateways;
  $('metric-connections').textContent = figure(metrics.connections);
  const at = Date.parse(metrics.at);
  if (lastRouted && metrics.stanzasRouted !== null && at > lastRouted.at) {
    $('metric-rate').textContent = figure((metrics.stanzasRouted - lastRouted.count) * 1000 / (at - lastRouted.at), 1);
  } else {
    $('metric-rate').textContent = metrics.stanzasRouted === null ? 'n/a' : '…';
  }
  lastRouted = { at, count: metrics.stanzasRouted };
  $('metric-routing').textContent = figure(metrics.routingMeanMillis, 2) + ' / ' + figure(metrics.routingMaxMillis, 1);
  $('metric-auth-failures').textContent = figure(metrics.authenticationFailures);
  $('metric-heap').textContent = metrics.heapUsedBytes === null ? 'n/a' : figure(metrics.heapUsedBytes / 1048576);
  $('metric-cpu').textContent = metrics.processCpu === null ? 'n/a' : figure(metrics.processCpu * 100, 1) + ' %';
  $('dashboard-updated').textContent = 'Last update ' + new Date(at).toLocaleTimeString() + '.';
}

async function announce(event) {
  event.preventDefault();
  const result = await call('POST', API + '/broadcast', { message: $('announce-text').value });
  $('announce-text').value = '';
  $('announce-result').textContent = 'Delivered to ' + result.delivered + ' resources.';
}

async function showUsers(offset) {
  const search = $('user-search-text').value.trim();
  const query = '?offset=' + offset + '&limit=' + PAGE_SIZE + (search ? '&search=' + encodeURIComponent(search) : '');
  const page = await call('GET', API + '/users' + query);
  usersOffset = page.offset;
  const users = await Promise.all(page.usernames.map(u => call('GET', API + '/users/' + encodeURIComponent(u))));
  fill('users-rows', users.map(user => row([
    user.jid,
    user.locked ? element('span', 'locked', 'locked') : 'active',
    user.sessions.length,
    [
      user.locked
        ? button('Unlock', () => userAction('POST', user.username, '/unlock'))
        : button('Lock', () => userAction('POST', user.username, '/lock')),
      button('Roster', () => showRoster(user.username)),
      button('End sessions', () => userAction('DELETE', user.username, '/sessions')),
      button('Delete', () => confirm('Delete ' + user.jid + ' and all its data?')
        ? userAction('DELETE', user.username, '') : Promise.resolve(), true),
    ],
  ])), 'No users.');
  $('users-range').textContent = page.total === 0 ? '0 users'
    : (page.offset + 1) + '–' + (page.offset + page.usernames.length) + ' of ' + page.total;
  $('users-previous').disabled = page.offset === 0;
  $('users-next').disabled = page.offset + page.usernames.length >= page.total;
}

async function userAction(method, username, suffix) {
  await call(method, API + '/users/' + encodeURIComponent(username) + suffix);
  await showUsers(usersOffset);
}

async function showRoster(username) {
  const contacts = await call('GET', API + '/users/' + encodeURIComponent(username) + '/roster');
  rosterOf = username;
  $('roster').hidden = false;
  $('roster-title').textContent = 'Roster of ' + username;
  fill('roster-rows', contacts.map(c => row([
    c.jid, c.name, c.subscription + (c.pendingOut ? ' (asked)' : ''), c.groups.join(', '),
    button('Remove', () => call('DELETE', rosterPath(c.jid)).then(() => showRoster(username)), true),
  ])), 'No contacts.');
}

function rosterPath(contact) {
  return API + '/users/' + encodeURIComponent(rosterOf) + '/roster/' + encodeURIComponent(contact);
}

async function addContact(event) {
  event.preventDefault();
  const groups = $('contact-groups').value.split(',').map(g => g.trim()).filter(g => g.length > 0);
  await call('PUT', rosterPath($('contact-jid').value.trim()), { name: $('contact-name').value, groups });
  $('contact-jid').value = '';
  $('contact-name').value = '';
  $('contact-groups').value = '';
  await showRoster(rosterOf);
}

async function showRooms() {
  const rooms = await call('GET', API + '/rooms');
  fill('rooms-rows', rooms.map(r => row([
    r.jid, r.name, r.occupants,
    [r.publicRoom ? 'public' : 'hidden', r.persistent ? 'persistent' : 'temporary',
      r.membersOnly ? 'members only' : 'open', r.moderated ? 'moderated' : '',
      r.passwordProtected ? 'password' : '', r.locked ? 'locked' : ''].filter(s => s).join(', '),
    new Date(r.created).toLocaleString(),
    button('Destroy', () => confirm('Destroy ' + r.jid + '? Its occupants are told.')
      ? call('DELETE', API + '/rooms/' + encodeURIComponent(r.jid) + '?reason='
        + encodeURIComponent('Closed by the administrators')).then(showRooms) : Promise.resolve(), true),
  ])), 'No rooms.');
}

async function showNodes() {
  const nodes = await call('GET', API + '/pubsub/nodes');
  fill('nodes-rows', nodes.map(n => row([
    n.name, n.owner, n.accessModel, n.items, n.subscribers,
    button('Delete', () => confirm('Delete node ' + n.name + ' with its items?')
      ? call('DELETE', API + '/pubsub/nodes/' + encodeURIComponent(n.name)).then(showNodes) : Promise.resolve(), true),
  ])), 'No nodes.');
}

async function createUser(event) {
  event.preventDefault();
  const user = await call('POST', API + '/users', { username: $('new-username').value, password: $('new-password').value });
  $('new-username').value = '';
  $('new-password').value = '';
  $('user-create-result').textContent = 'Created ' + user.jid + '.';
  await showUsers(usersOffset);
}

async function showGateways() {
  const gateways = await call('GET', API + '/gateways');
  fill('gateways-rows', gateways.map(g => row([button(g.id, () => showGatewaySessions(g.id)), g.sessions])),
    'No gateway holds sessions.');
  $('gateway-title').textContent = '';
  fill('sessions-rows', [], 'Choose a gateway.');
}

async function showGatewaySessions(gateway) {
  const sessions = await call('GET', API + '/gateways/' + encodeURIComponent(gateway) + '/sessions');
  $('gateway-title').textContent = 'Sessions on ' + gateway;
  fill('sessions-rows', sessions.map(s => row([
    s.jid, s.priority, s.available ? 'yes' : 'no', s.resumable ? (s.hibernated ? 'hibernated' : 'yes') : 'no',
    button('End user\'s sessions', async () => {
      await call('DELETE', API + '/users/' + encodeURIComponent(s.jid.split('@')[0]) + '/sessions');
      await showGateways();
    }, true),
  ])), 'No sessions.');
}

async function showReports() {
  const reports = await call('GET', API + '/reports?limit=100');
  fill('reports-rows', reports.map(r => row([
    new Date(r.received).toLocaleString(), r.reporter, r.reported, r.reason, r.text,
    [
      button('Lock sender', () => call('POST', API + '/reports/' + encodeURIComponent(r.id) + '/lock-sender').then(showReports), true),
      button('Block domain', () => confirm('Block every stanza from and to ' + r.reported.split('@').pop().split('/')[0] + '?')
        ? call('POST', API + '/reports/' + encodeURIComponent(r.id) + '/block-domain').then(showReports) : Promise.resolve(), true),
      button('Dismiss', () => call('POST', API + '/reports/' + encodeURIComponent(r.id) + '/dismiss').then(showReports)),
    ],
  ])), 'No open reports.');
  const domains = await call('GET', API + '/blocked-domains');
  fill('blocked-rows', domains.map(d => row([d,
    button('Unblock', () => call('DELETE', API + '/blocked-domains/' + encodeURIComponent(d)).then(showReports)),
  ])), 'No domain is blocked.');
}

async function showAudit() {
  const entries = await call('GET', API + '/audit?limit=100');
  fill('audit-rows', entries.map(e => row([new Date(e.at).toLocaleString(), e.actor, e.action, e.target, e.outcome])),
    'Nothing audited yet.');
}

async function showServer() {
  const [cluster, capabilities, configuration] = await Promise.all([
    call('GET', API + '/cluster'), call('GET', API + '/capabilities'), call('GET', API + '/configuration')]);
  fill('health-rows', Object.entries(cluster.health).map(([name, status]) =>
    row([name === 'status' ? 'overall' : name, element('span', status, status === 'UP' ? undefined : 'locked')])),
  'This instance has no health endpoint.');
  $('lag-note').textContent = cluster.consumerLagError ? 'Lag unavailable: ' + cluster.consumerLagError : '';
  fill('lag-rows', cluster.consumerLag.map(l => row([l.group, l.topic, l.lag])),
    'Nothing to show: the in-process bus hands each record over at once.');
  fill('capability-rows', capabilities.map(c => row([c.name, c.summary,
    c.specifications.map(s => s.id + ' ' + s.version + (s.status === 'PARTIAL' ? ' (partial)' : '')).join(', '),
    c.plugin || ''])), 'No capabilities.');
  fill('configuration-rows', Object.entries(configuration).map(([name, value]) => row([name, value])), 'Nothing set.');
}

document.addEventListener('DOMContentLoaded', async () => {
  $('login-form').addEventListener('submit', e => login(e).catch(err => { $('login-error').textContent = err.message; }));
  $('logout').addEventListener('click', () => logout().catch(report));
  document.querySelectorAll('nav button').forEach(b => b.addEventListener('click', () => show(b.dataset.page)));
  $('announce-form').addEventListener('submit', e => announce(e).catch(report));
  $('user-search').addEventListener('submit', e => { e.preventDefault(); showUsers(0).catch(report); });
  $('users-previous').addEventListener('click', () => showUsers(Math.max(0, usersOffset - PAGE_SIZE)).catch(report));
  $('users-next').addEventListener('click', () => showUsers(usersOffset + PAGE_SIZE).catch(report));
  $('user-create').addEventListener('submit', e => createUser(e).catch(report));
  $('contact-add').addEventListener('submit', e => addContact(e).catch(report));
  window.addEventListener('hashchange', () => { if (csrf) { show(location.hash.slice(1)); } });
  const response = await fetch(SESSION, { credentials: 'same-origin' });
  if (response.ok) {
    showApp(await response.json());
  } else {
    showLogin();
  }
});
