'use strict';
// 领导驾驶舱: reads the public API only (the same as any frontend), refreshes on its own. Amounts arrive as exact
// decimal 万元 and are converted to 亿元 with integer arithmetic, so that a figure shown is the API's figure.
// Every figure, list and export follows the day picked (asOf); none picked is today's answer.

const STAGES = { RESERVED: '储备', SIGNED: '签约', STARTED: '开工', COMPLETED: '竣工', WITHDRAWN: '退出' };
const MILESTONES = ['RESERVED', 'SIGNED', 'STARTED', 'COMPLETED'];
/** The fields of the events' data, in the words of the import template and the exports. */
const FIELDS = {
  name: '项目名称', campaignId: '会战', regionCode: '县（市、区）', industryChain: '产业链', categories: '项目类别',
  plannedInvestment: '计划总投资', annualPlannedInvestment: '年度计划投资', zone: '所在园区', owner: '项目业主',
  projectCode: '项目代码', signedInvestment: '签约投资', investor: '投资方', period: '填报月份',
  investmentToDate: '累计完成投资', reason: '原因'
};
const AMOUNT_FIELDS = new Set(['plannedInvestment', 'annualPlannedInvestment', 'signedInvestment', 'investmentToDate']);
const OUTCOMES = { created: '新建', updated: '更正', unchanged: '无变化', refused: '拒绝' };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const REFRESH_MS = 15000;
const AUTH_KEY = 'qxqy-authorization';
const FLOW_KEY = 'qxqy-code-flow';
/** The headline cards and where the comparison has each one's change; amounts in 亿元, the others counted. */
const HEADLINE = [
  ['projects', h => h.projects, false], ['plannedInvestment', h => h.plannedInvestment, true],
  ['signedInvestment', h => h.signedInvestment, true], ['investmentToDate', h => h.investmentToDate, true],
  ['investmentThisYear', h => h.investmentThisYear, true], ['started', h => h.stages.STARTED.reached, false],
  ['completed', h => h.stages.COMPLETED.reached, false]];

const $ = id => document.getElementById(id);
const charts = {};
const names = { regions: {}, 'industry-chains': {}, categories: {}, departments: {}, 'event-types': {}, campaigns: {} };
let campaign = null;
/** Every campaign as GET /api/v1/campaigns lists it: the calendar and the 同比 need their years and dates. */
let campaigns = [];
/** The day picked (YYYY-MM-DD), or null: today's answer. */
let asOf = null;
let nextCursor = null;
let pendingSignIn = null;
/** The signed-in user as GET /dashboard/user tells it; null while unknown. */
let user = null;
let signInOptions = { issuer: null, clientId: null, localAccounts: false };
/** The import's file and its last answer: 确认导入 and 下载结果 send the same file again. */
const upload = { file: null, dryRun: true };

/**
 * A request of the API as the signed-in user (a GET unless {@code body} is given); a 401 asks for a local account
 * and tries again. A refusal throws the problem's own words.
 */
async function authorised(path, accept, body) {
  const headers = { Accept: accept, 'X-Requested-With': 'JavaScript' };
  const authorization = sessionStorage.getItem(AUTH_KEY);
  if (authorization) headers.Authorization = authorization;
  const request = { headers, cache: 'no-cache', credentials: 'same-origin' };
  if (body) {
    request.method = 'POST';
    request.body = body;
    headers['Content-Type'] = body.type || XLSX;
  }
  const response = await fetch(path, request);
  if (response.status === 401) {
    await signIn(authorization != null);
    return authorised(path, accept, body);
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new Error(problem.detail || problem.title || path + ': ' + response.status);
  }
  return response;
}

async function api(path) {
  return (await authorised(path, 'application/json')).json();
}

/** The file name the answer gives (RFC 6266, filename* first), else {@code fallback}. */
function fileName(response, fallback) {
  const disposition = response.headers.get('Content-Disposition') || '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (encoded) return decodeURIComponent(encoded[1]);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1] : fallback;
}

/** Saves an answer as a file: a plain link would not send the Authorization header kept in sessionStorage. */
async function save(response, fallback) {
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName(response, fallback);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function campaignPath(file) {
  return '/api/v1/campaigns/' + encodeURIComponent(campaign) + '/' + file;
}

/**
 * The exports and the import template of the campaign shown; the list's export has the list's filters, and both the
 * list's and the report's follow the day picked.
 */
function exportFile(file) {
  const params = searchQuery();
  for (const unused of ['campaignId', 'size', 'sort']) params.delete(unused);
  const query = file.startsWith('projects.') && params.toString() ? '?' + params
    : file.startsWith('report.') || file.startsWith('bulletin.') ? dated('') : '';
  authorised(campaignPath(file) + query, '*/*').then(response => save(response, campaign + '-' + file))
    .catch(e => { $('updated').textContent = '下载失败：' + e.message; });
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

/** An amount in 万元 as the API gives it (to the cent), with thousands separators and always two decimals. */
function wan(amount) {
  if (amount == null) return '–';
  const [whole, fraction = ''] = String(amount).split('.');
  return group(whole) + '.' + fraction.padEnd(2, '0');
}

function group(digits) {
  return String(digits).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function percent(value) {
  return value == null ? '–' : Number(value).toFixed(1) + '%';
}

/** "2024-05-01" → "2024年5月1日"; "2024-05" → "2024年5月". */
function readableDate(iso) {
  if (!iso) return '';
  const [year, month, day] = String(iso).split('-').map(Number);
  return year + '年' + month + '月' + (day ? day + '日' : '');
}

/** Today where the campaign runs (Asia/Shanghai), as the API counts an asOf's day. */
function today() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

/** The last day of a month (1 to 12), YYYY-MM-DD. */
function monthEnd(year, month) {
  const day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return year + '-' + String(month).padStart(2, '0') + '-' + String(day).padStart(2, '0');
}

function previousMonthEnd(day) {
  const [year, month] = day.split('-').map(Number);
  return month === 1 ? monthEnd(year - 1, 12) : monthEnd(year, month - 1);
}

/** A read of the day picked: the path with its asOf, or as it is without one. */
function dated(path) {
  return asOf ? path + (path.includes('?') ? '&' : '?') + 'asOf=' + asOf : path;
}

function campaignOf(id) {
  return campaigns.find(c => c.campaignId === id);
}

/** A campaign that is over opens at its last day (本年 of today would read zero); one that runs, at today. */
function endOfFinished(id) {
  const end = campaignOf(id).endsOn;
  return today() > end ? end : null;
}

/** The day the changes stand on: the day picked, else today, or the campaign's last day once it is over. */
function referenceDay() {
  if (asOf) return asOf;
  const end = campaignOf(campaign).endsOn;
  return today() > end ? end : today();
}

/** The campaign of the year before, of the same city, for 同比: the one named as this one is, else any. */
function previousCampaign() {
  const c = campaignOf(campaign);
  const earlier = campaigns.filter(o => o.year === c.year - 1 && o.cityCode === c.cityCode);
  return earlier.find(o => o.campaignId === campaign.replace(String(c.year), String(c.year - 1))) || earlier[0];
}

/** A name the API gives with its amount's unit, "年度计划投资(万元)", shown where the amount is in 亿元. */
function withoutUnit(name) {
  return name.replace(/\s*[（(]万元[）)]/g, '');
}

/** Whether the screen is a phone's: the charts' labels and margins are made for it. */
function narrow() {
  return window.matchMedia('(max-width: 700px)').matches;
}

const TEXT = { color: '#e8eef7' };
const AXIS = { axisLabel: { ...TEXT, hideOverlap: true }, nameTextStyle: TEXT, splitLine: { lineStyle: { color: '#23477a' } } };
const VALUE_LABEL = { show: true, position: 'top', ...TEXT, formatter: p => group(p.value) };

function chart(id) {
  if (!charts[id]) charts[id] = echarts.init($(id), null, { renderer: 'svg' });
  return charts[id];
}

/** A cell; {@code label} is its column's title, which a phone shows beside it (the table becomes cards there). */
function cell(row, text, label, className) {
  const td = row.insertCell();
  td.textContent = text == null ? '' : text;
  if (label) td.dataset.label = label;
  if (className) td.className = className;
  return td;
}

function headers(table) {
  return Array.from(table.tHead.rows[0].cells, th => th.textContent);
}

async function loadReferenceLists() {
  for (const list of ['regions', 'industry-chains', 'categories', 'departments', 'event-types']) {
    for (const entry of await api('/api/v1/reference/' + list)) names[list][entry.code] = entry.nameZh;
  }
  const fill = (select, entries) => Object.entries(entries).forEach(([code, name]) => select.add(new Option(name, code)));
  fill($('stage'), STAGES);
  fill($('region'), names.regions);
  fill($('chain'), names['industry-chains']);
  fill($('category'), names.categories);
}

async function loadCampaigns() {
  campaigns = await api('/api/v1/campaigns');
  campaigns.forEach(c => {
    names.campaigns[c.campaignId] = c.nameZh;
    $('campaign').add(new Option(c.nameZh, c.campaignId));
  });
  const params = new URLSearchParams(window.location.search);
  campaign = params.get('campaign') || (campaigns[0] && campaigns[0].campaignId);
  asOf = params.has('asOf') ? params.get('asOf') || null : endOfFinished(campaign);
  $('campaign').value = campaign;
  showCalendar();
}

/** The picker: any day from the campaign's start to today, its month ends up to today one click away, 今天 none. */
function showCalendar() {
  const c = campaignOf(campaign);
  const now = today();
  $('asOf').min = c.startsOn;
  $('asOf').max = now;
  $('asOf').value = asOf || '';
  $('today').classList.toggle('active', !asOf);
  const chips = $('monthEnds');
  chips.replaceChildren();
  const [firstYear, firstMonth] = c.startsOn.split('-').map(Number);
  const [lastYear, lastMonth] = c.endsOn.split('-').map(Number);
  for (let months = firstYear * 12 + firstMonth - 1; months <= lastYear * 12 + lastMonth - 1; months++) {
    const year = Math.floor(months / 12);
    const month = months % 12 + 1;
    const end = monthEnd(year, month);
    if (end > now) break;
    const chip = document.createElement('button');
    chip.type = 'button';
    chip.className = 'chip' + (end === asOf ? ' active' : '');
    chip.dataset.day = end;
    chip.title = '截至' + readableDate(end);
    chip.textContent = (firstYear === lastYear ? '' : year + '年') + month + '月末';
    chip.onclick = () => pick(end);
    chips.append(chip);
  }
}

/** Shows the campaign as of {@code day} (null: today's answer), and keeps the day in the page's address. */
function pick(day) {
  asOf = day || null;
  const params = new URLSearchParams(window.location.search);
  params.set('campaign', campaign);
  // An empty asOf keeps 今天 picked on a reload of a campaign that is over.
  params.set('asOf', asOf || '');
  window.history.replaceState(null, '', '?' + params);
  showCalendar();
  refresh();
  loadProjects(false);
}

async function loadFigures() {
  const shown = campaign + '@' + (asOf || '');
  const base = '/api/v1/campaigns/' + encodeURIComponent(campaign);
  const previous = previousCampaign();
  const since = previousMonthEnd(referenceDay());
  // A comparison that fails leaves the figures shown, without their changes.
  const [summary, progress, timeline, byRegion, byChain, byCategory, monthOnMonth, yearOnYear] = await Promise.all([
    api(dated(base + '/summary')), api(dated(base + '/progress')), api(dated(base + '/timeline?granularity=month')),
    api(dated(base + '/breakdown?by=region')), api(dated(base + '/breakdown?by=chain')),
    api(dated(base + '/breakdown?by=category')),
    api(dated(base + '/comparison?against=' + since)).catch(() => null),
    previous ? api(dated(base + '/comparison?againstCampaign=' + encodeURIComponent(previous.campaignId))).catch(() => null)
      : null]);
  // Another day or campaign picked meanwhile: its own answers are on their way.
  if (shown !== campaign + '@' + (asOf || '')) return;
  $('title').textContent = (names.campaigns[campaign] || campaign) + ' · 领导驾驶舱';
  $('projects').textContent = group(summary.projects);
  $('withdrawnNote').textContent = summary.withdrawn ? '（另有退出 ' + group(summary.withdrawn) + ' 个，不计入）' : '';
  $('plannedInvestment').textContent = yi(summary.plannedInvestment);
  $('signedInvestment').textContent = yi(summary.signedInvestment);
  $('investmentToDate').textContent = yi(summary.investmentToDate);
  $('investmentThisYear').textContent = yi(summary.investmentThisYear);
  $('started').textContent = group(summary.stages.STARTED.reached);
  $('completed').textContent = group(summary.stages.COMPLETED.reached);
  showChanges(monthOnMonth, yearOnYear, since, previous);
  showRates(progress.rates);
  showTargets(progress.targets);
  showStages(summary);
  showTimeline(timeline);
  bars('byRegion', byRegion);
  bars('byChain', byChain);
  bars('byCategory', byCategory);
  $('updated').textContent = (asOf ? '截至' + readableDate(asOf) + ' · ' : '') + '更新于 ' + new Date().toLocaleTimeString('zh-CN');
  document.body.dataset.shown = shown;
}

/** A change as a card shows it: ↑ or ↓ and the signed difference in the card's unit; — where a side is absent. */
function changeText(word, delta, money) {
  if (delta == null) return word + ' —';
  const text = String(delta);
  const size = text.replace('-', '');
  const shown = money ? yi(size) : group(size);
  if (text.startsWith('-')) return word + ' ↓ -' + shown;
  return Number(text) === 0 ? word + ' 持平' : word + ' ↑ +' + shown;
}

function showChange(element, word, comparison, figure, money) {
  const delta = comparison ? figure(comparison.headline).delta : null;
  element.textContent = changeText(word, delta, money);
  element.className = 'change' + (delta == null || Number(delta) === 0 ? '' : String(delta).startsWith('-') ? ' down' : ' up');
}

/** Beside each headline figure its change since the previous month's end (环比), and against last year's campaign (同比). */
function showChanges(monthOnMonth, yearOnYear, since, previous) {
  for (const [id, figure, money] of HEADLINE) {
    showChange($(id + 'Mom'), '环比', monthOnMonth, figure, money);
    $(id + 'Yoy').hidden = !yearOnYear;
    if (yearOnYear) showChange($(id + 'Yoy'), '同比', yearOnYear, figure, money);
  }
  const notStarted = '（当日会战尚未开始）';
  let note = '环比：较' + readableDate(since) + (monthOnMonth && !monthOnMonth.against.present ? notStarted : '');
  if (yearOnYear) {
    note += '；同比：较' + (names.campaigns[previous.campaignId] || previous.campaignId) + readableDate(yearOnYear.against.asOf)
      + (yearOnYear.against.present ? '' : notStarted);
  }
  $('comparisonNote').textContent = note;
}

/** The reports the city issued for this campaign, each revision as issued, its JSON and workbook to download. */
async function loadReports() {
  const table = $('reports');
  const labels = headers(table);
  const body = table.tBodies[0];
  let reports;
  try {
    reports = await api(campaignPath('reports'));
  } catch (e) {
    $('reportsNote').textContent = '月报列表暂不可用：' + e.message;
    table.hidden = true;
    return;
  }
  body.replaceChildren();
  for (const r of reports) {
    const row = body.insertRow();
    row.dataset.period = r.period;
    row.dataset.revision = r.revision;
    cell(row, readableDate(r.period), labels[0], 'lead');
    cell(row, '第 ' + r.revision + ' 版', labels[1]);
    cell(row, new Date(r.issuedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }), labels[2]);
    const department = r.issuedBy.department;
    cell(row, department ? names.departments[department] || department : r.issuedBy.subject, labels[3]);
    const links = cell(row, '', labels[4]);
    for (const [format, label] of [['json', 'JSON'], ['xlsx', 'Excel']]) {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.format = format;
      button.textContent = label;
      button.onclick = () => authorised(r.links[format], '*/*')
        .then(response => save(response, campaign + '-' + r.period + '-' + r.revision + '.' + format))
        .catch(e => { $('reportsNote').textContent = '下载失败：' + e.message; });
      links.append(button);
    }
  }
  table.hidden = reports.length === 0;
  $('reportsNote').textContent = reports.length ? '' : '暂无已发布的月报。';
}

/** A card of a percentage: its name, the bar, and what it is a share of, in one unit said once. */
function meter(container, code, name, percentage, ratio, definition) {
  const box = document.createElement('div');
  box.className = 'meter';
  box.dataset.code = code;
  if (definition) box.title = definition;
  const title = document.createElement('span');
  title.className = 'name';
  title.textContent = name;
  const value = document.createElement('span');
  value.className = 'percent';
  value.textContent = percent(percentage);
  const bar = document.createElement('span');
  bar.className = 'bar';
  const fill = document.createElement('span');
  fill.style.width = Math.min(100, Number(percentage || 0)) + '%';
  bar.append(fill);
  const of = document.createElement('div');
  of.className = 'ratio';
  of.textContent = ratio;
  box.append(title, value, bar, of);
  container.append(box);
}

/** Amounts of 万元 in 亿元, counts in 个: the same units as the headline cards. */
function inUnit(value, unit) {
  return unit === '万元' ? yi(value) : group(value);
}

function unitOf(unit) {
  return unit === '万元' ? '亿元' : '个';
}

function showRates(rates) {
  const container = $('rates');
  container.replaceChildren();
  for (const r of rates) {
    meter(container, r.code, r.nameZh, r.percentage,
      withoutUnit(r.numerator.nameZh) + ' ' + inUnit(r.numerator.value, r.unit) + ' / '
        + withoutUnit(r.denominator.nameZh) + ' ' + inUnit(r.denominator.value, r.unit) + ' ' + unitOf(r.unit),
      withoutUnit(r.definition));
  }
}

function showTargets(targets) {
  const container = $('targets');
  container.replaceChildren();
  for (const t of targets) {
    meter(container, t.code, withoutUnit(t.nameZh), t.percentage,
      '完成 ' + inUnit(t.actual, t.unit) + ' / 目标 ' + inUnit(t.target, t.unit) + ' ' + unitOf(t.unit));
  }
}

/** Stage bars rather than a funnel: a project may start without a signing, so the stages do not nest. */
function showStages(summary) {
  $('withdrawnStages').textContent = summary.withdrawn ? '不含退出的 ' + group(summary.withdrawn) + ' 个。' : '';
  chart('stages').setOption({
    tooltip: { trigger: 'axis' }, legend: { textStyle: TEXT, bottom: 0 },
    grid: { left: 8, right: 8, top: 24, bottom: 36, containLabel: true },
    xAxis: { type: 'category', data: MILESTONES.map(s => STAGES[s]), ...AXIS },
    yAxis: { type: 'value', ...AXIS },
    series: [
      { name: '当前', type: 'bar', label: VALUE_LABEL, data: MILESTONES.map(s => summary.stages[s].current) },
      { name: '累计到达', type: 'bar', label: VALUE_LABEL, data: MILESTONES.map(s => summary.stages[s].reached) }]
  });
}

function showTimeline(timeline) {
  const periods = timeline.periods.map(p => p.period);
  const oneYear = new Set(periods.map(p => p.slice(0, 4))).size <= 1;
  chart('timeline').setOption({
    tooltip: { trigger: 'axis' }, legend: { textStyle: TEXT, top: 0 },
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: periods, ...AXIS,
      axisLabel: { ...AXIS.axisLabel, formatter: p => oneYear ? Number(p.slice(5)) + '月' : p } },
    yAxis: { type: 'value', ...AXIS },
    series: MILESTONES.map(s => ({ name: STAGES[s], type: 'bar', data: timeline.periods.map(p => p[s].projects) }))
  });
}

/** A breakdown as horizontal bars: planned investment (亿元, bottom axis) and projects (个, top axis). */
function bars(id, breakdown) {
  const items = breakdown.items.slice().reverse();
  $(id).style.height = (items.length * (narrow() ? 30 : 26) + 110) + 'px';
  const valueAxis = { type: 'value', splitNumber: narrow() ? 3 : 5, ...AXIS };
  chart(id).setOption({
    tooltip: { trigger: 'axis' }, legend: { textStyle: TEXT, bottom: 0 },
    grid: { left: 8, right: 24, top: 28, bottom: 40, containLabel: true },
    yAxis: { type: 'category', data: items.map(i => i.name), ...AXIS, axisLabel: { ...TEXT, interval: 0 } },
    // The legend names each series' unit: an axis name at the end of the axis is cut off on a phone.
    xAxis: [valueAxis, { ...valueAxis, position: 'top', splitLine: { show: false } }],
    series: [
      { name: '计划投资（亿元）', type: 'bar', data: items.map(i => Number(yi(i.plannedInvestment).replace(/,/g, ''))) },
      { name: '项目数（个）', type: 'bar', xAxisIndex: 1, data: items.map(i => i.projects) }]
  });
  chart(id).resize();
}

/** The bands of a ranking (completion rate ÷ 时序进度) in the colours a 通报 prints them. */
const BAND_COLOURS = { LEADING: '#3fb950', NORMAL: '#4a90e2', LAGGING: '#e3b341', SEVERELY_LAGGING: '#e5534b' };
const FOLLOW_UP_STATUSES = { OPEN: '待答复', ANSWERED: '已答复', OVERDUE_AGAIN: '再次逾期', CLOSED_LATE: '逾期办结' };
const QUALIFIERS = { started: '计划开工', completed: '计划竣工' };
const ANSWERABLE = new Set(['OPEN', 'ANSWERED', 'OVERDUE_AGAIN']);
const FOLLOW_UP_PAGE = 100;
/** The last rankings and follow-ups shown: the target and investment selectors redraw them without a request. */
const shownRanking = { rankings: null, followUps: null, items: [] };

/** "↑2", "↓1", "持平" against the previous month's end; nothing where a side has no rank. */
function rankChangeText(change) {
  if (change == null) return '—';
  if (change === 0) return '持平';
  return change > 0 ? '↑' + change : '↓' + -change;
}

/** A figure of a target in the panel's unit: 万元 in 亿元, projects counted. */
function targetFigure(value, unit) {
  return value == null ? '—' : inUnit(value, unit);
}

/** Whether the signed-in department holds the county: its own code, or its whole city's (a code ending in 00). */
function holds(regionCode) {
  return !!user && user.roles.includes('department') && user.regions.some(held => held === regionCode
    || (/^\d{4}00$/.test(held) && regionCode.startsWith(held.slice(0, held.endsWith('0000') ? 2 : 4))));
}

/** The one county a county department holds (兴县's 141123), or null for the city's departments and everybody else. */
function ownCounty() {
  if (!user || !user.roles.includes('department')) return null;
  const counties = user.regions.filter(code => !code.endsWith('00'));
  return counties.length === 1 && counties.length === user.regions.length ? counties[0] : null;
}

async function loadRankings() {
  const shown = campaign + '@' + (asOf || '');
  let rankings;
  try {
    rankings = await api(dated(campaignPath('rankings')));
  } catch (e) {
    $('rankingNote').textContent = '排名暂不可用：' + e.message;
    return;
  }
  if (shown !== campaign + '@' + (asOf || '')) return;
  shownRanking.rankings = rankings;
  $('rankingNote').textContent = '';
  const s = rankings.schedule;
  $('rankingSchedule').textContent = '截至' + readableDate(rankings.day) + '，时序进度 ' + percent(s.percentage) + '（第 '
    + group(s.elapsedDays) + ' 天 / 共 ' + group(s.totalDays) + ' 天）；排名变化较'
    + (rankings.previousDay ? readableDate(rankings.previousDay) : '上月末（会战尚未开始，无）') + '。';
  const t = rankings.thresholds;
  $('bandLegend').replaceChildren(...[['LEADING', '领先', '≥ ' + t.leading], ['NORMAL', '正常', t.normal + '–' + t.leading],
    ['LAGGING', '滞后', t.lagging + '–' + t.normal], ['SEVERELY_LAGGING', '严重滞后', '< ' + t.lagging]]
    .map(([band, word, range]) => {
      const chip = document.createElement('span');
      chip.className = 'band band-' + band;
      chip.textContent = word + ' ' + range;
      return chip;
    }));
  fillSelect($('rankingTarget'), rankings.targets.map(target => [target.code, withoutUnit(target.nameZh)]));
  fillSelect($('investmentKind'), rankings.investments.map(i => [i.code, withoutUnit(i.nameZh)]));
  showRanking();
  showInvestmentRanking();
  showCountyRanks();
}

/** Keeps the option picked when the same codes come again; the first one otherwise. */
function fillSelect(select, entries) {
  const picked = select.value;
  select.replaceChildren(...entries.map(([code, name]) => new Option(name, code)));
  if (entries.some(([code]) => code === picked)) select.value = picked;
}

/** A band as a chip of its colour; — for a county not ranked. */
function bandCell(row, county, label) {
  const td = cell(row, county.band ? '' : '—', label);
  if (county.band) {
    const chip = document.createElement('span');
    chip.className = 'band band-' + county.band;
    chip.textContent = county.bandZh;
    td.append(chip);
  }
  return td;
}

/** The target picked: its counties' completion rates by rank, coloured by band, the 时序进度 line across. */
function showRanking() {
  const rankings = shownRanking.rankings;
  const target = rankings.targets.find(t => t.code === $('rankingTarget').value) || rankings.targets[0];
  if (!target) return;
  const mine = ownCounty();
  const counties = target.counties;
  const items = counties.slice().reverse();
  $('rankingChart').style.height = (items.length * (narrow() ? 30 : 26) + 90) + 'px';
  $('rankingChart').setAttribute('aria-label', withoutUnit(target.nameZh) + '各县完成率排名，时序进度 '
    + percent(rankings.schedule.percentage));
  chart('rankingChart').setOption({
    tooltip: { trigger: 'item', formatter: p => {
      const c = items[p.dataIndex];
      return c.nameZh + '：' + (c.completionRate == null ? '无分解目标，不排名' : percent(c.completionRate) + ' · ' + c.bandZh);
    } },
    grid: { left: 8, right: narrow() ? 56 : 72, top: 28, bottom: 8, containLabel: true },
    yAxis: { type: 'category', data: items.map(c => (c.rank == null ? '— ' : c.rank + ' ') + c.nameZh), ...AXIS,
      axisLabel: { ...TEXT, interval: 0 } },
    // The axis reaches 时序进度 at least: a line beyond the axis' end would not be drawn.
    xAxis: { type: 'value', splitNumber: narrow() ? 3 : 5, ...AXIS, min: 0,
      max: extent => Math.max(extent.max, Number(rankings.schedule.percentage)),
      axisLabel: { ...AXIS.axisLabel, formatter: v => v + '%' } },
    series: [{ type: 'bar', name: '完成率',
      data: items.map(c => ({ value: c.completionRate == null ? 0 : Number(c.completionRate),
        itemStyle: { color: BAND_COLOURS[c.band] || '#5b6f8f', borderColor: c.regionCode === mine ? '#ffffff' : undefined,
          borderWidth: c.regionCode === mine ? 2 : 0 } })),
      label: { show: true, position: 'right', ...TEXT, formatter: p => {
        const c = items[p.dataIndex];
        if (c.completionRate == null) return '—';
        const change = rankChangeText(c.rankChange);
        return percent(c.completionRate) + (c.rankChange ? ' ' + change : '');
      } },
      markLine: { symbol: 'none', silent: true, lineStyle: { color: '#f5b83d', type: 'dashed', width: 2 },
        label: { ...TEXT, position: 'end', formatter: '时序进度 ' + percent(rankings.schedule.percentage) },
        data: [{ xAxis: Number(rankings.schedule.percentage) }] } }]
  }, true);
  chart('rankingChart').resize();

  const table = $('rankingTable');
  const labels = headers(table);
  const body = table.tBodies[0];
  body.replaceChildren();
  for (const c of counties) {
    const row = body.insertRow();
    row.dataset.region = c.regionCode;
    row.dataset.band = c.band || '';
    if (c.regionCode === mine) row.className = 'mine';
    cell(row, c.rank == null ? '—' : c.rank, labels[0], 'rank');
    cell(row, c.nameZh, labels[1], 'lead');
    cell(row, targetFigure(c.share, target.unit), labels[2], 'num detail');
    cell(row, targetFigure(c.reached, target.unit), labels[3], 'num detail');
    cell(row, c.completionRate == null ? '—' : percent(c.completionRate), labels[4], 'num completion');
    cell(row, c.ratioToSchedule == null ? '—' : Number(c.ratioToSchedule).toFixed(2), labels[5], 'num detail');
    bandCell(row, c, labels[6]);
    cell(row, rankChangeText(c.rankChange), labels[7], 'change');
  }
  const unit = unitOf(target.unit);
  $('rankingCity').textContent = '单位：' + unit + '。' + target.cityLevel.nameZh + '（不参与排名）完成 '
    + targetFigure(target.cityLevel.reached, target.unit) + '；全市目标 ' + targetFigure(target.cityTarget, target.unit)
    + '，各县分解合计 ' + targetFigure(target.sharesTotal, target.unit) + '（'
    + (String(target.sharesDifference).startsWith('-') ? '少 ' : '多 ')
    + targetFigure(String(target.sharesDifference).replace('-', ''), target.unit) + '）。';
}

function showInvestmentRanking() {
  const rankings = shownRanking.rankings;
  const investment = rankings.investments.find(i => i.code === $('investmentKind').value) || rankings.investments[0];
  if (!investment) return;
  const table = $('investmentTable');
  const labels = headers(table);
  const body = table.tBodies[0];
  body.replaceChildren();
  for (const c of investment.counties) {
    const row = body.insertRow();
    row.dataset.region = c.regionCode;
    if (c.regionCode === ownCounty()) row.className = 'mine';
    cell(row, c.rank, labels[0], 'rank');
    cell(row, c.nameZh, labels[1], 'lead');
    cell(row, yi(c.value), labels[2], 'num completion');
    cell(row, rankChangeText(c.rankChange), labels[3], 'change');
  }
  $('investmentCity').textContent = investment.cityLevel.nameZh + '（不参与排名）' + yi(investment.cityLevel.value) + ' 亿元。';
}

/** A county officer's own figures: its rank and band on each target, and on each investment. */
function showCountyRanks() {
  const mine = ownCounty();
  const rankings = shownRanking.rankings;
  if (!mine || !rankings) return;
  const container = $('countyRanks');
  container.replaceChildren();
  const count = list => list.filter(c => c.rank != null).length;
  for (const target of rankings.targets) {
    const c = target.counties.find(county => county.regionCode === mine);
    if (!c) continue;
    meter(container, target.code, withoutUnit(target.nameZh), c.completionRate,
      (c.rank == null ? '无分解目标，不排名' : '第 ' + c.rank + ' 名 / ' + count(target.counties) + ' · ' + c.bandZh
        + ' · ' + rankChangeText(c.rankChange)) + '；完成 ' + targetFigure(c.reached, target.unit) + ' / 分解目标 '
        + targetFigure(c.share, target.unit) + ' ' + unitOf(target.unit));
    const box = container.lastElementChild;
    box.dataset.band = c.band || '';
    if (c.band) box.style.borderLeft = '6px solid ' + BAND_COLOURS[c.band];
  }
  for (const investment of rankings.investments) {
    const c = investment.counties.find(county => county.regionCode === mine);
    if (!c) continue;
    const box = document.createElement('div');
    box.className = 'meter';
    box.dataset.code = investment.code;
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = withoutUnit(investment.nameZh);
    const value = document.createElement('span');
    value.className = 'percent';
    value.textContent = '第 ' + c.rank + ' 名';
    const of = document.createElement('div');
    of.className = 'ratio';
    of.textContent = yi(c.value) + ' 亿元 · 共 ' + investment.counties.length + ' 个县（市、区）· ' + rankChangeText(c.rankChange);
    box.append(name, value, of);
    container.append(box);
  }
}

/** The follow-up list's query: the filters picked, the day shown. */
function followUpQuery(limit) {
  const params = new URLSearchParams({ status: $('followUpStatus').value, limit: String(limit) });
  if (asOf) params.set('asOf', asOf);
  if ($('followUpRule').value) params.set('rule', $('followUpRule').value);
  if ($('followUpRegion').value) params.set('regionCode', $('followUpRegion').value);
  return params;
}


/** The follow-ups of the day shown, as many as are shown already (a refresh keeps 加载更多's rows). */
async function loadFollowUps(more) {
  const shown = campaign + '@' + (asOf || '') + '?' + followUpQuery(0);
  const limit = more ? shownRanking.items.length + FOLLOW_UP_PAGE : Math.max(FOLLOW_UP_PAGE, shownRanking.items.length);
  let followUps;
  try {
    followUps = await api(campaignPath('follow-ups?') + followUpQuery(Math.min(limit, 1000)));
  } catch (e) {
    $('followUpNote').textContent = '督办暂不可用：' + e.message;
    return;
  }
  if (shown !== campaign + '@' + (asOf || '') + '?' + followUpQuery(0)) return;
  shownRanking.followUps = followUps;
  shownRanking.items = followUps.items;
  $('followUpNote').textContent = '';
  const s = followUps.settings;
  const off = '（未启用）';
  $('followUpSettings').textContent = '截至' + readableDate(followUps.day) + '。规则：签约后 '
    + (s.signedNotStartedDays == null ? off : s.signedNotStartedDays + ' 天未开工') + '；储备后 '
    + (s.reservedNotSignedDays == null ? off : s.reservedNotSignedDays + ' 天未签约') + '；开工项目每月投资 '
    + (s.reportDueDay == null ? off : '次月 ' + s.reportDueDay + ' 日前报送') + '；计划日期'
    + (s.plannedDates ? '已过未达' : off) + '。';
  fillSelect($('followUpRule'), [['', '全部规则'], ...followUps.rules.map(r => [r.rule, r.nameZh + (r.on ? '' : off)])]);
  fillSelect($('followUpRegion'), [['', '全部县（市、区）'], ...followUps.counties.map(c => [c.regionCode, c.nameZh])]);
  showFollowUpCounties(followUps);
  const statusWord = $('followUpStatus').value === 'closed' ? '逾期办结' : '未办结';
  $('followUpTotal').textContent = statusWord + ' ' + group(followUps.total) + ' 项';
  showFollowUpItems($('followUpTable'), followUps.items, true, followUps.day);
  $('followUpMore').hidden = followUps.items.length >= followUps.total || followUps.items.length >= 1000;
  showCountyItems();
}

function showFollowUpCounties(followUps) {
  const table = $('followUpCounties');
  const labels = headers(table);
  const body = table.tBodies[0];
  body.replaceChildren();
  for (const c of followUps.counties) {
    const row = body.insertRow();
    row.dataset.region = c.regionCode;
    if (c.regionCode === ownCounty()) row.className = 'mine';
    const name = cell(row, '', labels[0], 'lead');
    const pick = document.createElement('button');
    pick.type = 'button';
    pick.className = 'link';
    pick.textContent = c.nameZh;
    pick.title = '只看' + c.nameZh + '的督办事项';
    pick.onclick = () => {
      $('followUpRegion').value = c.regionCode;
      loadFollowUps(false);
    };
    name.append(pick);
    cell(row, group(c.open), labels[1], 'num');
    cell(row, group(c.answered), labels[2], 'num');
    cell(row, group(c.overdueAgain), labels[3], 'num');
    cell(row, group(c.closedLate), labels[4], 'num');
  }
}

function ruleText(item) {
  return item.ruleNameZh + (item.qualifier ? '（' + (QUALIFIERS[item.qualifier] || readableDate(item.qualifier)) + '）' : '');
}

function answerText(answer) {
  if (!answer) return '';
  return answer.reason + '；预计' + readableDate(answer.expectedOn) + '完成（'
    + (names.departments[answer.department] || answer.department) + '，' + readableDate(answer.answeredOn) + '答复）';
}

/**
 * Items as rows, grouped by county (the list comes sorted by county) under a row naming it; an item its county's
 * department may answer, on the day the API calls today, has its 答复 button.
 */
function showFollowUpItems(table, items, byCounty, day) {
  const labels = headers(table);
  const body = table.tBodies[0];
  body.replaceChildren();
  const answering = day === today();
  let county = null;
  for (const item of items) {
    if (byCounty && item.regionCode !== county) {
      county = item.regionCode;
      const heading = body.insertRow();
      heading.className = 'group';
      const th = document.createElement('th');
      th.colSpan = labels.length;
      th.scope = 'colgroup';
      th.textContent = item.regionNameZh;
      heading.append(th);
    }
    const row = body.insertRow();
    row.dataset.itemId = item.itemId;
    row.dataset.status = item.status;
    cell(row, ruleText(item), labels[0], 'lead');
    cell(row, item.projectName + '（' + item.projectId + '）', labels[1], 'text');
    cell(row, readableDate(item.dueOn), labels[2]);
    cell(row, group(item.daysOverdue), labels[3], 'num');
    const status = cell(row, '', labels[4]);
    const chip = document.createElement('span');
    chip.className = 'status status-' + item.status;
    chip.textContent = (FOLLOW_UP_STATUSES[item.status] || item.status)
      + (item.closedOn ? '（' + readableDate(item.closedOn) + '办结）' : '');
    status.append(chip);
    cell(row, answerText(item.answer), labels[5], 'text answer');
    const action = cell(row, '', labels[6], 'action');
    if (answering && ANSWERABLE.has(item.status) && holds(item.regionCode)) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'answer';
      button.textContent = item.answer ? '再次答复' : '答复';
      button.setAttribute('aria-label', button.textContent + '：' + item.projectName + ' ' + ruleText(item));
      button.onclick = () => openAnswer(item);
      action.append(button);
    } else {
      action.classList.add('empty');
    }
  }
}

/**
 * A county officer's items still to answer: today's, whatever day the rest shows, since an answer is dated the day
 * it is given (an answered one waits for its expected date, listed below in 督办).
 */
async function showCountyItems() {
  const mine = ownCounty();
  if (!mine) return;
  let open;
  try {
    open = await api(campaignPath('follow-ups?') + new URLSearchParams({ status: 'open', regionCode: mine, limit: '1000' }));
  } catch (e) {
    $('countyOpenCount').textContent = '暂不可用：' + e.message;
    return;
  }
  const items = open.items.filter(item => item.status !== 'ANSWERED');
  $('countyOpenCount').textContent = '待答复 ' + items.filter(i => i.status === 'OPEN').length + ' 项，再次逾期 '
    + items.filter(i => i.status === 'OVERDUE_AGAIN').length + ' 项，已答复 ' + (open.items.length - items.length) + ' 项';
  showFollowUpItems($('countyItems'), items, false, open.day);
}

function openAnswer(item) {
  const dialog = $('answer');
  dialog.dataset.itemId = item.itemId;
  $('answerItem').textContent = item.regionNameZh + ' · ' + ruleText(item) + ' · ' + item.projectName + '（应办日期 '
    + readableDate(item.dueOn) + '，逾期 ' + item.daysOverdue + ' 天）';
  $('answerReason').value = '';
  const now = today();
  const [year, month, day] = now.split('-').map(Number);
  $('answerExpectedOn').min = now;
  $('answerExpectedOn').max = new Date(Date.UTC(year, month - 1, day + 366)).toISOString().slice(0, 10);
  $('answerExpectedOn').value = '';
  $('answerStatus').textContent = '';
  $('answerStatus').className = '';
  $('answerSubmit').disabled = false;
  dialog.showModal();
}

/** Posts the answer; the lists are read again, so the row shows its new status as the API tells it. */
async function sendAnswer(event) {
  event.preventDefault();
  const itemId = $('answer').dataset.itemId;
  $('answerSubmit').disabled = true;
  $('answerStatus').textContent = '正在提交…';
  const body = new Blob([JSON.stringify({ reason: $('answerReason').value.trim(), expectedOn: $('answerExpectedOn').value })],
    { type: 'application/json' });
  try {
    await authorised(campaignPath('follow-ups/' + encodeURIComponent(itemId) + '/answers'), 'application/json', body);
  } catch (e) {
    $('answerStatus').textContent = '提交失败：' + e.message;
    $('answerStatus').className = 'error';
    $('answerSubmit').disabled = false;
    return;
  }
  $('answer').close();
  await loadFollowUps(false);
}

/** The list's query: active projects unless 含退出 is on, or the 退出 stage is asked for. */
function searchQuery() {
  const params = new URLSearchParams({ campaignId: campaign, size: '50', sort: '-plannedInvestment' });
  if (asOf) params.set('asOf', asOf);
  for (const [param, id] of [['q', 'q'], ['stage', 'stage'], ['regionCode', 'region'], ['industryChain', 'chain'], ['category', 'category']]) {
    if ($(id).value) params.set(param, $(id).value);
  }
  if ($('includeWithdrawn').checked || $('stage').value === 'WITHDRAWN') params.set('includeWithdrawn', 'true');
  return params;
}

async function loadProjects(append) {
  const params = searchQuery();
  if (append && nextCursor) params.set('cursor', nextCursor);
  const page = await api('/api/v1/projects?' + params);
  const table = $('projectTable');
  const labels = headers(table);
  const body = table.tBodies[0];
  if (!append) body.replaceChildren();
  for (const p of page.items) {
    const row = body.insertRow();
    row.dataset.projectId = p.projectId;
    cell(row, p.projectId, labels[0]);
    cell(row, p.name, labels[1], 'lead');
    cell(row, names.regions[p.regionCode] || p.regionCode, labels[2]);
    cell(row, names['industry-chains'][p.industryChain] || p.industryChain, labels[3]);
    cell(row, STAGES[p.stage], labels[4]);
    cell(row, wan(p.plannedInvestment), labels[5], 'num');
    cell(row, wan(p.investmentToDate), labels[6], 'num');
    row.onclick = () => showHistory(p);
  }
  const included = params.has('includeWithdrawn');
  $('total').textContent = '共 ' + group(page.total) + ' 个'
    + (included ? (page.withdrawn ? '（含退出 ' + group(page.withdrawn) + ' 个）' : '') : '（不含退出）');
  $('withdrawnCount').textContent = included ? '' : '（另有 ' + group(page.withdrawn) + ' 个）';
  nextCursor = page.next;
  $('more').hidden = !nextCursor;
}

/** A value of an event's data in the domain's words: names for codes, amounts in 万元, months readable. */
function fieldValue(field, value) {
  if (Array.isArray(value)) return value.map(v => fieldValue(field, v)).join('、');
  if (AMOUNT_FIELDS.has(field)) return wan(value) + ' 万元';
  switch (field) {
    case 'regionCode': return names.regions[value] || value;
    case 'industryChain': return names['industry-chains'][value] || value;
    case 'categories': return names.categories[value] || value;
    case 'campaignId': return names.campaigns[value] || value;
    case 'period': return readableDate(value);
    default: return value;
  }
}

async function showHistory(project) {
  const history = await api('/api/v1/projects/' + encodeURIComponent(project.projectId) + '/events');
  $('historyTitle').textContent = project.name + '（' + project.projectId + '）';
  const body = $('historyRows');
  const labels = headers(body.parentElement);
  body.replaceChildren();
  for (const e of history) {
    const row = body.insertRow();
    cell(row, e.version, labels[0], 'inline');
    cell(row, readableDate(e.occurredOn), labels[1], 'inline');
    cell(row, names['event-types'][e.type] || e.type, labels[2], 'inline');
    cell(row, Object.entries(e.data).map(([k, v]) => (FIELDS[k] || k) + '：' + fieldValue(k, v)).join('；'), labels[3], 'text');
    cell(row, names.departments[e.source] || e.source, labels[4]);
  }
  $('history').showModal();
}

/** The rows of an import's answer: each with its row number, project, outcome and errors. */
function importedRows(result) {
  const rows = Object.values(result).find(v => Array.isArray(v) && v.length && v[0].outcome !== undefined);
  return rows || [];
}

function errorText(error) {
  return typeof error === 'string' ? error : [error.column || error.field, error.message].filter(Boolean).join('：');
}

/** Sends the chosen file: a dry run first, then, once confirmed, for real. */
async function sendImport(dryRun) {
  upload.dryRun = dryRun;
  $('importConfirm').disabled = true;
  $('importResult').disabled = true;
  $('importStatus').textContent = dryRun ? '正在检查…' : '正在导入…';
  try {
    const response = await authorised(campaignPath('projects.xlsx?dryRun=' + dryRun), 'application/json', upload.file);
    showImport(await response.json());
  } catch (e) {
    $('importStatus').textContent = (dryRun ? '检查失败：' : '导入失败：') + e.message;
    $('importStatus').className = 'error';
  }
}

function showImport(result) {
  const rows = importedRows(result);
  const count = outcome => rows.filter(r => r.outcome === outcome).length;
  const counts = Object.entries(OUTCOMES).map(([outcome, word]) => word + ' ' + count(outcome) + ' 行').join('，');
  const refused = count('refused');
  $('importStatus').className = refused ? 'error' : '';
  $('importStatus').textContent = result.stored ? '已导入：' + counts + '。'
    : result.dryRun ? (refused ? '检查未通过，未导入：' : '检查通过，尚未导入：') + counts + '。'
      + (refused ? '请按下表改正后重新选择文件。' : '请核对后确认导入。')
      : '未导入：' + counts + '。';
  const table = $('importRows');
  const labels = headers(table);
  const body = table.tBodies[0];
  body.replaceChildren();
  for (const r of rows) {
    const row = body.insertRow();
    row.dataset.outcome = r.outcome;
    cell(row, r.row, labels[0]);
    cell(row, r.projectId, labels[1]);
    cell(row, OUTCOMES[r.outcome] || r.outcome, labels[2], 'outcome-' + r.outcome);
    cell(row, (r.errors || []).map(errorText).join('；'), labels[3], 'text');
  }
  table.hidden = rows.length === 0;
  $('importConfirm').disabled = !result.dryRun || refused > 0 || rows.every(r => r.outcome === 'unchanged');
  $('importResult').disabled = false;
  if (result.stored) {
    refresh();
    loadProjects(false);
  }
}

/** The uploaded rows again as a workbook, each with its project's id and its outcome or errors. */
async function importResultWorkbook() {
  try {
    // Always a check: after 确认导入 it still fills in the ids the import gave, and it can never store a row twice
    // or write over a change made since.
    const response = await authorised(campaignPath('projects.xlsx?dryRun=true'), XLSX, upload.file);
    await save(response, upload.file.name.replace(/\.xlsx$/i, '') + '-导入结果.xlsx');
  } catch (e) {
    $('importStatus').textContent = '下载结果失败：' + e.message;
  }
}

function openImport() {
  const regions = user.regions.map(code => names.regions[code] || code).join('、');
  $('importWho').textContent = '以 ' + (names.departments[user.department] || user.department) + ' 的身份导入'
    + (regions ? '（可写 ' + regions + '）' : '') + '：先检查，核对无误后再确认导入。';
  $('importFile').value = '';
  $('importStatus').textContent = '';
  $('importRows').hidden = true;
  $('importConfirm').disabled = true;
  $('importResult').disabled = true;
  $('import').showModal();
}

/** The import for departments; a user the service cannot tell (a token without its department) just goes without. */
function offerImport() {
  if (!user || !user.roles.includes('department')) return;
  $('importOpen').hidden = false;
  $('importOpen').onclick = openImport;
  // Chosen again after a fix, the same file must count as a new choice: a change event needs an emptied input.
  $('importFile').onclick = () => { $('importFile').value = ''; };
  $('importFile').onchange = () => {
    upload.file = $('importFile').files[0];
    if (upload.file) sendImport(true);
  };
  $('importConfirm').onclick = () => sendImport(false);
  $('importResult').onclick = importResultWorkbook;
  $('importClose').onclick = () => $('import').close();
}

/**
 * A county department's own view: its county first (ranks, bands, items to answer), the follow-ups and the project
 * list filtered to it; it may pick another county or none in either.
 */
function openOwnCounty() {
  const mine = ownCounty();
  if (!mine) return;
  $('county').hidden = false;
  $('countyTitle').textContent = (names.regions[mine] || mine) + ' · 本县概况';
  $('countyNote').textContent = '以 ' + (names.departments[user.department] || user.department) + ' 的身份登录：本县在各项指标中的排名与进度，待答复的督办事项，本县的项目。';
  $('region').value = mine;
  $('followUpRegion').add(new Option(names.regions[mine] || mine, mine));
  $('followUpRegion').value = mine;
}

async function refresh() {
  try {
    await Promise.all([loadFigures(), loadReports(), loadRankings(), loadFollowUps(false)]);
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
  $('campaign').onchange = () => { campaign = $('campaign').value; pick(endOfFinished(campaign)); };
  $('asOf').onchange = () => pick($('asOf').value);
  $('today').onclick = () => pick(null);
  $('filters').onsubmit = event => { event.preventDefault(); loadProjects(false); };
  $('includeWithdrawn').onchange = () => loadProjects(false);
  $('more').onclick = () => loadProjects(true);
  for (const button of document.querySelectorAll('[data-export]')) button.onclick = () => exportFile(button.dataset.export);
  window.addEventListener('resize', () => Object.values(charts).forEach(c => c.resize()));
  user = await api('/dashboard/user').catch(() => null);
  offerImport();
  openOwnCounty();
  $('rankingTarget').onchange = showRanking;
  $('investmentKind').onchange = showInvestmentRanking;
  for (const id of ['followUpRule', 'followUpStatus', 'followUpRegion']) $(id).onchange = () => loadFollowUps(false);
  $('followUpFilters').onsubmit = event => event.preventDefault();
  $('followUpMore').onclick = () => loadFollowUps(true);
  $('answerForm').onsubmit = sendAnswer;
  $('answerCancel').onclick = () => $('answer').close();
  await Promise.all([refresh(), loadProjects(false)]);
  document.body.dataset.loaded = 'true';
  setInterval(refresh, REFRESH_MS);
}

start();
