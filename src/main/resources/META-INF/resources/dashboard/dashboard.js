'use strict';
// 领导驾驶舱: reads the public API only (the same as any frontend), refreshes on its own. Amounts arrive as exact
// decimal 万元 and are converted to 亿元 with integer arithmetic, so that a figure shown is the API's figure.

const STAGES = { RESERVED: '储备', SIGNED: '签约', STARTED: '开工', COMPLETED: '竣工', WITHDRAWN: '退出' };
const EVENTS = {
  ProjectReserved: '储备入库', ProjectSigned: '签约', ConstructionStarted: '开工', ProjectCompleted: '竣工',
  InvestmentReported: '投资填报', ProjectCorrected: '信息更正', MilestoneRetracted: '节点撤回', ProjectWithdrawn: '退出'
};
const UNITS = { projects: '个' };
const REFRESH_MS = 15000;
const AUTH_KEY = 'qxqy-authorization';
const FLOW_KEY = 'qxqy-code-flow';

const $ = id => document.getElementById(id);
const charts = {};
const names = { regions: {}, 'industry-chains': {}, categories: {} };
let campaign = null;
let nextCursor = null;
let pendingSignIn = null;
let signInOptions = { issuer: null, clientId: null, localAccounts: false };

/** A GET of the API as the signed-in user; a 401 asks for a local account and tries again. */
async function authorised(path, accept) {
  const headers = { Accept: accept, 'X-Requested-With': 'JavaScript' };
  const authorization = sessionStorage.getItem(AUTH_KEY);
  if (authorization) headers.Authorization = authorization;
  const response = await fetch(path, { headers, cache: 'no-cache', credentials: 'same-origin' });
  if (response.status === 401) {
    await signIn(authorization != null);
    return authorised(path, accept);
  }
  if (!response.ok) throw new Error(path + ': ' + response.status);
  return response;
}

async function api(path) {
  return (await authorised(path, 'application/json')).json();
}

/** Saves a file of the API: a plain link would not send the Authorization header kept in sessionStorage. */
async function download(path, fileName) {
  const url = URL.createObjectURL(await (await authorised(path, '*/*')).blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The exports and the import template of the campaign shown; the list's export has the list's filters. */
function exportFile(file) {
  const base = '/api/v1/campaigns/' + encodeURIComponent(campaign) + '/';
  const params = searchQuery();
  for (const unused of ['campaignId', 'size', 'sort']) params.delete(unused);
  const query = file.startsWith('projects.') && params.toString() ? '?' + params : '';
  download(base + file + query, campaign + '-' + file).catch(e => { $('updated').textContent = '下载失败：' + e.message; });
}

function signIn(failed) {
  if (!pendingSignIn) {
    pendingSignIn = new Promise(resolve => {
      sessionStorage.removeItem(AUTH_KEY);
      $('signInError').hidden = !failed;
      $('idpSignIn').hidden = !signInOptions.issuer;
      $('signInForm').hidden = !signInOptions.localAccounts;
      $('signInIdp').onclick = startCodeFlow;
      $('signIn').showModal();
      $('signInForm').onsubmit = event => {
        event.preventDefault();
        const basic = new TextEncoder().encode($('user').value + ':' + $('password').value);
        sessionStorage.setItem(AUTH_KEY, 'Basic ' + btoa(String.fromCharCode(...basic)));
        $('signIn').close();
        $('signOut').hidden = false;
        pendingSignIn = null;
        resolve();
      };
    });
  }
  return pendingSignIn;
}

function base64url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Sign-in at the identity provider: authorization code with PKCE, the dashboard being a public client. */
async function startCodeFlow() {
  const discovery = await (await fetch(signInOptions.issuer + '/.well-known/openid-configuration')).json();
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem(FLOW_KEY, JSON.stringify({ verifier, state, tokenEndpoint: discovery.token_endpoint,
    back: window.location.pathname + window.location.search }));
  window.location.assign(discovery.authorization_endpoint + '?' + new URLSearchParams({
    response_type: 'code', client_id: signInOptions.clientId, redirect_uri: window.location.origin + '/',
    scope: 'openid', state, code_challenge: challenge, code_challenge_method: 'S256' }));
}

/** Back from the identity provider: the code redeemed for an access token, the page's address restored. */
async function completeCodeFlow() {
  const params = new URLSearchParams(window.location.search);
  const flow = JSON.parse(sessionStorage.getItem(FLOW_KEY) || 'null');
  if (!params.has('code') || !flow) return;
  sessionStorage.removeItem(FLOW_KEY);
  if (flow.state !== params.get('state')) throw new Error('登录状态不符，请重新登录');
  const response = await fetch(flow.tokenEndpoint, { method: 'POST', body: new URLSearchParams({
    grant_type: 'authorization_code', code: params.get('code'), redirect_uri: window.location.origin + '/',
    client_id: signInOptions.clientId, code_verifier: flow.verifier }) });
  if (!response.ok) throw new Error('登录失败：' + response.status);
  sessionStorage.setItem(AUTH_KEY, 'Bearer ' + (await response.json()).access_token);
  window.history.replaceState(null, '', flow.back);
}

/** "123456.78" 万元 → "12.35" 亿元, rounded half up, with thousands separators. */
function yi(wan) {
  if (wan == null) return '–';
  const negative = String(wan).startsWith('-');
  const [whole, fraction = ''] = String(wan).replace('-', '').split('.');
  const cents = BigInt(whole + (fraction + '00').slice(0, 2));
  const hundredths = (cents + 5000n) / 10000n;
  return (negative ? '-' : '') + group((hundredths / 100n).toString()) + '.' + (hundredths % 100n).toString().padStart(2, '0');
}

/** An amount in 万元 as the API gives it, with thousands separators. */
function wan(amount) {
  if (amount == null) return '–';
  const [whole, fraction] = String(amount).split('.');
  return group(whole) + (fraction ? '.' + fraction : '');
}

function group(digits) {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const TEXT = { color: '#e8eef7' };
const AXIS = { axisLabel: TEXT, nameTextStyle: TEXT, splitLine: { lineStyle: { color: '#23477a' } } };

function chart(id) {
  if (!charts[id]) charts[id] = echarts.init($(id), null, { renderer: 'svg' });
  return charts[id];
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text == null ? '' : text;
  if (className) td.className = className;
  return td;
}

async function loadReferenceLists() {
  for (const list of Object.keys(names)) {
    for (const entry of await api('/api/v1/reference/' + list)) names[list][entry.code] = entry.nameZh;
  }
  const fill = (select, entries) => Object.entries(entries).forEach(([code, name]) => select.add(new Option(name, code)));
  fill($('stage'), STAGES);
  fill($('region'), names.regions);
  fill($('chain'), names['industry-chains']);
  fill($('category'), names.categories);
}

async function loadCampaigns() {
  const campaigns = await api('/api/v1/campaigns');
  campaigns.forEach(c => $('campaign').add(new Option(c.nameZh, c.campaignId)));
  campaign = new URLSearchParams(window.location.search).get('campaign') || (campaigns[0] && campaigns[0].campaignId);
  $('campaign').value = campaign;
}

async function loadFigures() {
  const base = '/api/v1/campaigns/' + encodeURIComponent(campaign);
  const [summary, progress, timeline, byRegion, byChain, byCategory] = await Promise.all([
    api(base + '/summary'), api(base + '/progress'), api(base + '/timeline?granularity=month'),
    api(base + '/breakdown?by=region'), api(base + '/breakdown?by=chain'), api(base + '/breakdown?by=category')]);
  const campaignName = $('campaign').selectedOptions[0] ? $('campaign').selectedOptions[0].text : campaign;
  $('title').textContent = campaignName + ' · 领导驾驶舱';
  $('projects').textContent = group(String(summary.projects));
  $('plannedInvestment').textContent = yi(summary.plannedInvestment);
  $('signedInvestment').textContent = yi(summary.signedInvestment);
  $('investmentToDate').textContent = yi(summary.investmentToDate);
  $('started').textContent = group(String(summary.stages.STARTED.reached));
  $('completed').textContent = group(String(summary.stages.COMPLETED.reached));
  showTargets(progress);
  chart('funnel').setOption({
    tooltip: { trigger: 'item' },
    series: [{ type: 'funnel', sort: 'none', left: '10%', width: '80%',
      label: { position: 'inside', formatter: '{b} {c} 个', color: '#0b1f3a', fontWeight: 'bold' },
      data: ['RESERVED', 'SIGNED', 'STARTED', 'COMPLETED'].map(s => ({ name: STAGES[s], value: summary.stages[s].reached })) }]
  });
  chart('timeline').setOption({
    tooltip: { trigger: 'axis' }, legend: { textStyle: TEXT },
    xAxis: { type: 'category', data: timeline.periods.map(p => p.period), ...AXIS },
    yAxis: { type: 'value', name: '项目（个）', ...AXIS },
    series: ['RESERVED', 'SIGNED', 'STARTED', 'COMPLETED'].map(s => ({
      name: STAGES[s], type: 'bar', data: timeline.periods.map(p => p[s].projects) }))
  });
  bars('byRegion', byRegion);
  bars('byChain', byChain);
  bars('byCategory', byCategory);
  $('updated').textContent = '更新于 ' + new Date().toLocaleTimeString('zh-CN');
}

function showTargets(progress) {
  const body = $('targets').tBodies[0];
  body.replaceChildren();
  for (const t of progress.targets) {
    const row = body.insertRow();
    cell(row, t.nameZh);
    const unit = UNITS[t.unit] || t.unit;
    cell(row, wan(t.actual) + ' ' + unit, 'num');
    cell(row, wan(t.target) + ' ' + unit, 'num');
    const bar = cell(row, '');
    const span = document.createElement('span');
    span.style.width = Math.min(100, Number(t.percentage || 0)) + '%';
    const outer = document.createElement('span');
    outer.className = 'bar';
    outer.append(span);
    bar.append(outer, ' ' + (t.percentage == null ? '–' : t.percentage + '%'));
    cell(row, t.ratioOf);
  }
}

function bars(id, breakdown) {
  const items = breakdown.items.slice().reverse();
  chart(id).setOption({
    tooltip: { trigger: 'axis' }, legend: { textStyle: TEXT, bottom: 0 },
    grid: { left: 120, top: 30, bottom: 40 },
    yAxis: { type: 'category', data: items.map(i => i.name), ...AXIS, axisLabel: { ...TEXT, interval: 0 } },
    xAxis: [{ type: 'value', name: '亿元', ...AXIS }, { type: 'value', name: '个', position: 'top', ...AXIS, splitLine: { show: false } }],
    series: [
      { name: '计划投资（亿元）', type: 'bar', data: items.map(i => Number(yi(i.plannedInvestment).replace(/,/g, ''))) },
      { name: '项目数（个）', type: 'bar', xAxisIndex: 1, data: items.map(i => i.projects) }]
  });
}

function searchQuery() {
  const params = new URLSearchParams({ campaignId: campaign, size: '50', sort: '-plannedInvestment' });
  for (const [param, id] of [['q', 'q'], ['stage', 'stage'], ['regionCode', 'region'], ['industryChain', 'chain'], ['category', 'category']]) {
    if ($(id).value) params.set(param, $(id).value);
  }
  return params;
}

async function loadProjects(append) {
  const params = searchQuery();
  if (append && nextCursor) params.set('cursor', nextCursor);
  const page = await api('/api/v1/projects?' + params);
  const body = $('projectTable').tBodies[0];
  if (!append) body.replaceChildren();
  for (const p of page.items) {
    const row = body.insertRow();
    row.dataset.projectId = p.projectId;
    cell(row, p.projectId);
    cell(row, p.name);
    cell(row, names.regions[p.regionCode] || p.regionCode);
    cell(row, names['industry-chains'][p.industryChain] || p.industryChain);
    cell(row, STAGES[p.stage]);
    cell(row, wan(p.plannedInvestment), 'num');
    cell(row, wan(p.investmentToDate), 'num');
    row.onclick = () => showHistory(p);
  }
  $('total').textContent = '共 ' + group(String(page.total)) + ' 个';
  nextCursor = page.next;
  $('more').hidden = !nextCursor;
}

async function showHistory(project) {
  const history = await api('/api/v1/projects/' + encodeURIComponent(project.projectId) + '/events');
  $('historyTitle').textContent = project.name + '（' + project.projectId + '）';
  const body = $('historyRows');
  body.replaceChildren();
  for (const e of history) {
    const row = body.insertRow();
    cell(row, e.version);
    cell(row, e.occurredOn);
    cell(row, EVENTS[e.type] || e.type);
    cell(row, Object.entries(e.data).map(([k, v]) => k + ': ' + (Array.isArray(v) ? v.join('、') : v)).join('；'));
    cell(row, e.source);
  }
  $('history').showModal();
}

async function refresh() {
  try {
    await loadFigures();
  } catch (e) {
    $('updated').textContent = '更新失败：' + e.message;
  }
}

async function start() {
  signInOptions = await (await fetch('/dashboard/sign-in')).json();
  await completeCodeFlow();
  $('signOut').hidden = !sessionStorage.getItem(AUTH_KEY);
  $('signOut').onclick = () => { sessionStorage.removeItem(AUTH_KEY); window.location.reload(); };
  await loadReferenceLists();
  await loadCampaigns();
  $('campaign').onchange = () => { campaign = $('campaign').value; refresh(); loadProjects(false); };
  $('filters').onsubmit = event => { event.preventDefault(); loadProjects(false); };
  $('more').onclick = () => loadProjects(true);
  for (const button of document.querySelectorAll('[data-export]')) button.onclick = () => exportFile(button.dataset.export);
  window.addEventListener('resize', () => Object.values(charts).forEach(c => c.resize()));
  await Promise.all([refresh(), loadProjects(false)]);
  document.body.dataset.loaded = 'true';
  setInterval(refresh, REFRESH_MS);
}

start();
