// PolicyKG web page: every view is drawn from the JSON API; no framework, no build step.
"use strict";

const KINDS = { measure: "措施", task: "任务", unit: "单位", field: "领域", partner: "合作方", place: "地点", instrument: "政策工具" };
const COLORS = { measure: "#b4232a", task: "#6b4fbb", unit: "#1f7a4d", field: "#0b5cad", partner: "#c77700", place: "#3b8ea5", instrument: "#7a6a00" };
const FACETS = [["plan", "方案"], ["section", "章节"], ["unit", "牵头单位"], ["field", "领域"], ["place", "地点"], ["partner", "合作方"], ["deadline", "完成时限"]];
const FILTERS = ["plan", "section", "unit", "field", "place", "partner", "due_before", "deadline_type"];
const FILTER_LABELS = { plan: "方案", section: "章节", unit: "牵头单位", field: "领域", place: "地点", partner: "合作方", due_before: "截止不晚于", deadline_type: "时限类型" };
const EXAMPLES = ["哪些措施涉及外国人才", "与俄罗斯的科技合作", "南京有哪些措施", "没有固定期限、需要持续推进的任务", "cooperation with Russia"];
const main = document.getElementById("main");
const params = JSON.parse(document.body.dataset.params || "{}");

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "html") node.innerHTML = value; else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child.nodeType ? child : String(child));
  return node;
}

function showError(message) {
  const box = document.getElementById("error");
  box.textContent = "出错了：" + message;
  box.hidden = false;
}

async function api(path) {
  let response;
  try { response = await fetch(path, { headers: { Accept: "application/json" } }); }
  catch (error) { showError("无法连接服务（" + error.message + "）"); throw error; }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) { const message = body.detail || response.statusText; showError(message); throw new Error(message); }
  document.getElementById("error").hidden = true;
  return body;
}

const entityLink = (collection, ref) => el("a", { href: `/e/${collection}/${ref.id}`, class: "chip" }, ref.label + (ref.label_en ? ` · ${ref.label_en}` : ""));
// Links use the measure's id (unique in its plan); people read the printed number with its task.
const measureHref = (m) => `/m/${encodeURIComponent(m.plan)}/${encodeURIComponent(m.id)}`;
const measureLabel = (m) => {
  const task = typeof m.task === "object" && m.task ? m.task.id : m.task;
  const number = m.number ? `（${m.number}）` : `#${m.id}`;
  return task ? `任务${task} ${number}` : number;
};

// ---------- search ----------
function renderSearch() {
  const url = new URL(location.href);
  const input = el("input", { id: "q", name: "q", type: "search", value: url.searchParams.get("q") || "", placeholder: "输入问题，如：哪些措施涉及外国人才 / cooperation with Russia", "aria-label": "检索问题" });
  const form = el("form", { class: "search", role: "search" }, input, el("button", { id: "go", type: "submit" }, "检索"));
  const status = el("p", { class: "status", "aria-live": "polite" });
  const facets = el("aside", { class: "facets", "aria-label": "筛选" });
  const hits = el("ol", { class: "hits", id: "hits" });
  main.replaceChildren(el("h1", {}, "检索政策措施"), form, status, el("div", { class: "layout" }, facets, el("section", { "aria-label": "结果" }, hits)));
  form.addEventListener("submit", (event) => { event.preventDefault(); const next = new URL(location.href); next.searchParams.set("q", input.value.trim()); history.pushState({}, "", next); run(); });
  window.addEventListener("popstate", () => { input.value = new URL(location.href).searchParams.get("q") || ""; run(); });

  async function run() {
    const current = new URL(location.href);
    const q = (current.searchParams.get("q") || "").trim();
    if (!q) { status.textContent = ""; hits.replaceChildren(emptyState("输入一个问题开始检索。")); facets.replaceChildren(); return; }
    document.title = `${q} · 搜索 · PolicyKG`;
    const query = new URLSearchParams({ q, k: "20" });
    for (const name of FILTERS) if (current.searchParams.get(name)) query.set(name, current.searchParams.get(name));
    const started = performance.now();
    status.textContent = "检索中…";
    let body;
    try { body = await api("/api/search?" + query); } catch { status.textContent = "检索失败。"; hits.replaceChildren(); return; }
    const weaker = body.weaker || [];
    // confident matches first; the weaker ones apart, under their own heading, never mixed in
    hits.replaceChildren(...body.results.map(renderHit),
      ...(weaker.length ? [el("li", { class: "weaker-heading", role: "presentation" }, el("h2", {}, `较弱的匹配（${weaker.length}）`)), ...weaker.map((hit) => renderHit(hit, true))] : []));
    renderFacets(facets, body.facets, current);
    const active = FILTERS.filter((name) => current.searchParams.get(name));
    const scope = body.scope ? `（${body.scope.scoped ? "限于" : "优先"}：${body.scope.titles.join("、")}）` : "";
    status.replaceChildren(`找到 ${body.results.length} 条措施${weaker.length ? `，另有 ${weaker.length} 条较弱的匹配` : ""}${scope}`, ...active.map((name) =>
      el("button", { class: "chip", type: "button", "aria-label": `取消筛选 ${FILTER_LABELS[name] || name}`, onclick: () => toggle(name, null) },
        `${FILTER_LABELS[name] || name}：${current.searchParams.get(name)} ✕`)));
    if (!body.results.length && !weaker.length) hits.replaceChildren(emptyState("没有找到匹配的措施。可以减少筛选条件，或换个说法："));
    window.__lastSearchMs = performance.now() - started;
  }
  function toggle(name, value) {
    const next = new URL(location.href);
    if (value === null || next.searchParams.get(name) === value) next.searchParams.delete(name); else next.searchParams.set(name, value);
    history.pushState({}, "", next); run();
  }
  function renderFacets(container, data, current) {
    container.replaceChildren(...FACETS.filter(([name]) => (data[name] || []).length).map(([name, title]) => {
      const filter = name === "deadline" ? "due_before" : name;
      return el("div", { class: "facet", "data-facet": name }, el("h3", {}, title),
        ...data[name].slice(0, 8).map((entry) => {
          const value = name === "deadline" && !/^\d{4}-\d{2}$/.test(entry.value) ? null : entry.value;
          const label = { ongoing: "持续推进", none: "未定" }[entry.label] || entry.label;
          return el("button", { class: "chip", type: "button", "aria-pressed": String(current.searchParams.get(filter) === value),
            disabled: value === null, onclick: () => toggle(filter, value) }, label, " ", el("span", { class: "count" }, entry.count));
        }));
    }));
  }
  function emptyState(message) {
    return el("li", { class: "empty" }, el("p", {}, message), el("p", {}, ...EXAMPLES.map((q) => el("a", { class: "chip", href: "/?q=" + encodeURIComponent(q) }, q))));
  }
  run();
}

function renderHit(hit, weaker = false) {
  // the reasons in words (why.summary); the legs' ranks stay in the JSON for analysts
  const why = hit.why;
  return el("li", { class: weaker ? "hit weaker" : "hit", "data-number": hit.number, "data-id": hit.id, "data-plan": hit.plan },
    el("a", { href: measureHref(hit) }, measureLabel(hit)), " ", el("span", { html: hit.snippet }),
    el("div", { class: "meta" }, `${hit.plan_title || hit.plan} · ${hit.task_title} · ${hit.lead_units.join("、")} · ${hit.deadline || "未定期限"}`),
    el("div", { class: "why" }, el("b", {}, "匹配原因："), why.summary || "—"));
}

// ---------- measure ----------
async function renderMeasure() {
  const m = await api(`/api/measures/${encodeURIComponent(params.plan)}/${encodeURIComponent(params.id)}`);
  const facts = el("dl", { class: "facts" },
    el("dt", {}, "所属任务"), el("dd", {}, el("a", { href: `/p/${m.plan}#task-${m.task.iri.split("/").pop()}` }, `${m.task.id}. ${m.task.title}`)),
    el("dt", {}, "章节"), el("dd", {}, `${m.section.number || ""} ${m.section.title || "—"}`),
    el("dt", {}, "完成时限"), el("dd", {}, m.deadline.raw || "未注明", m.deadline.due_by ? el("span", { class: "muted" }, `（截至 ${m.deadline.due_by}）`) : ""),
    el("dt", {}, "牵头单位"), el("dd", {}, ...m.lead_units.map((u) => entityLink("units", u))),
    el("dt", {}, "配合单位"), el("dd", {}, m.supporting_units.length ? m.supporting_units.map((u) => entityLink("units", u)) : "—"),
    el("dt", {}, "领域"), el("dd", {}, m.fields.length ? m.fields.map((f) => entityLink("fields", f)) : "—"),
    el("dt", {}, "合作方"), el("dd", {}, m.partners.length ? m.partners.map((p) => entityLink("partners", p)) : "—"),
    el("dt", {}, "地点"), el("dd", {}, m.places.length ? m.places.map((p) => entityLink("places", p)) : "—"),
    el("dt", {}, "政策工具"), el("dd", {}, m.instruments.length ? m.instruments.map((p) => entityLink("instruments", p)) : "—"),
    el("dt", {}, "数量目标"), el("dd", {}, m.targets.length ? m.targets.map((t) => el("span", { class: "chip" }, `${t.qualifier && t.bound === "max" ? t.qualifier : ""}${t.raw}${t.qualifier && t.bound !== "max" ? t.qualifier : ""}${t.role === "baseline" ? "（基数）" : ""}`)) : "—"));
  const passage = el("div", { class: "passage", id: "passage" }, "…");
  const related = el("ol", { class: "hits", id: "related" });
  const graph = el("div", { class: "graph", id: "graph", role: "img", "aria-label": "措施关系图" });
  main.replaceChildren(el("p", { class: "muted" }, el("a", { href: `/p/${m.plan}` }, m.plan_title)),
    el("h1", {}, `措施${measureLabel(m)}`), el("p", {}, m.text), facts,
    el("h2", {}, "原文位置"), passage, el("h2", {}, "相关措施"), related, el("h2", {}, "关系图"), legend(), graph);
  api(`/api/plans/${encodeURIComponent(m.plan)}/source?start=${m.source_span.start}&end=${m.source_span.end}`).then((s) =>
    passage.replaceChildren(s.before, el("mark", {}, s.passage), s.after));
  api(`/api/measures/${encodeURIComponent(m.plan)}/${encodeURIComponent(m.id)}/related?k=8`).then((body) =>
    related.replaceChildren(...body.related.map((r) => el("li", { class: "hit", "data-number": r.number, "data-id": r.id },
      el("a", { href: measureHref(r) }, measureLabel(r)), " ", r.text,
      el("div", { class: "why" }, el("b", {}, "关联："), r.why.shared.map((s) => `${KINDS[s.kind]}：${s.label}`).join("；") || "—",
        r.why.similarity !== null ? `；语义相似度 ${r.why.similarity.toFixed(2)}` : "")))));
  drawGraph(graph, m.iri);
}

// ---------- entity ----------
async function renderEntity() {
  const e = await api(`/api/${params.collection}/${params.id}`);
  const list = (items) => items.length ? el("ol", { class: "hits" }, ...items.map((m) => el("li", { class: "hit", "data-number": m.number, "data-id": m.id },
    el("a", { href: measureHref(m) }, measureLabel(m)), " ", m.text))) : el("p", { class: "muted" }, "无");
  const graph = el("div", { class: "graph", id: "graph", role: "img", "aria-label": "关系图" });
  main.replaceChildren(el("p", { class: "muted" }, { units: "单位", fields: "领域", partners: "合作方", places: "地点", instruments: "政策工具" }[params.collection] || ""),
    el("h1", {}, e.label, e.label_en ? el("span", { class: "muted", lang: "en" }, ` · ${e.label_en}`) : ""),
    e.alt_labels.length ? el("p", { class: "muted" }, "又称：" + e.alt_labels.join("、")) : "",
    e.broader && e.broader.length ? el("p", {}, "上位：", ...e.broader.map((b) => entityLink(params.collection, b))) : "",
    e.narrower && e.narrower.length ? el("p", {}, "下位：", ...e.narrower.map((b) => entityLink(params.collection, b))) : "",
    el("h2", {}, "直接涉及的措施"), list(e.measures),
    e.measures_within ? el("h2", {}, params.collection === "places" ? "所辖地区的措施" : "下位领域的措施") : "", e.measures_within ? list(e.measures_within) : "",
    el("h2", {}, "关系图"), legend(), graph);
  drawGraph(graph, e.iri);
}

// ---------- plan ----------
async function renderPlan() {
  const [plans, tasks] = await Promise.all([api("/api/plans"), api(`/api/tasks/${encodeURIComponent(params.plan)}`)]);
  const plan = plans.find((p) => p.id === params.plan);
  main.replaceChildren(el("h1", {}, plan.title), el("p", { class: "muted" }, `${plan.issuer || ""} · ${plan.issued || ""} · ${plan.tasks} 项任务 · ${plan.measures} 项措施`),
    el("ol", { class: "hits" }, ...tasks.map((t) => el("li", { class: "hit", id: `task-${t.iri.split("/").pop()}` },
      el("b", {}, `${t.id}. ${t.title}`), el("div", { class: "meta" }, `完成时限：${t.deadline || "未注明"} · ${t.measures} 项措施`)))));
  if (location.hash) document.querySelector(location.hash)?.scrollIntoView();
}

// ---------- SPARQL ----------
async function renderSparql() {
  const queries = await api("/api/queries");
  const editor = el("textarea", { id: "sparql", "aria-label": "SPARQL 查询", spellcheck: "false" }, queries[0]?.text || "SELECT * WHERE { ?s ?p ?o } LIMIT 10");
  const picker = el("select", { id: "examples", "aria-label": "示例查询" }, ...queries.map((q) => el("option", { value: q.name }, `${q.title} (${q.name})`)));
  picker.addEventListener("change", () => { editor.value = queries.find((q) => q.name === picker.value).text; });
  const output = el("div", { id: "results" });
  const downloads = el("p", { id: "downloads" });
  const run = el("button", { id: "run", type: "button" }, "运行 Run");
  main.replaceChildren(el("h1", {}, "SPARQL 查询"), el("p", { class: "muted" }, "只读端点 /sparql；前缀 pko: eli: skos: dcterms: schema: 等已预先声明。"),
    el("p", {}, el("label", { for: "examples" }, "示例："), picker), editor, el("p", {}, run), downloads, output);
  run.addEventListener("click", async () => {
    const query = editor.value;
    const response = await fetch("/sparql?" + new URLSearchParams({ query }), { headers: { Accept: "application/sparql-results+json" } });
    if (!response.ok) { const body = await response.json().catch(() => ({})); showError(body.detail || response.statusText); return; }
    document.getElementById("error").hidden = true;
    const body = await response.json();
    downloads.replaceChildren("下载：", ...["csv", "json", "tsv"].map((format) =>
      el("a", { class: "chip", href: "/sparql?" + new URLSearchParams({ query, format }), download: `policykg-results.${format}` }, format.toUpperCase())));
    if ("boolean" in body) { output.replaceChildren(el("p", {}, String(body.boolean))); return; }
    const vars = body.head.vars;
    output.replaceChildren(el("p", { class: "muted" }, `${body.results.bindings.length} 行`), el("table", { class: "results" },
      el("thead", {}, el("tr", {}, ...vars.map((v) => el("th", { scope: "col" }, v)))),
      el("tbody", {}, ...body.results.bindings.map((row) => el("tr", {}, ...vars.map((v) => el("td", {}, row[v] ? row[v].value : "")))))));
  });
}

// ---------- graph view ----------
function legend() {
  return el("p", { class: "legend" }, ...Object.entries(KINDS).map(([kind, label]) => el("span", {}, el("i", { style: `background:${COLORS[kind]}` }), label)));
}

async function drawGraph(container, iri) {
  if (typeof cytoscape !== "function") { container.replaceChildren(el("p", { class: "muted" }, "关系图组件未安装（运行 scripts/setup）。")); return; }
  const data = await api("/api/neighbourhood?" + new URLSearchParams({ iri, limit: "40" }));
  const cy = cytoscape({
    container,
    elements: [...data.nodes.map((n) => ({ data: { id: n.id, label: n.label.slice(0, 14), kind: n.kind, href: n.href, center: n.id === iri } })),
      ...data.edges.map((e, i) => ({ data: { id: "e" + i, source: e.source, target: e.target } }))],
    style: [
      { selector: "node", style: { "background-color": (n) => COLORS[n.data("kind")] || "#999", label: "data(label)", "font-size": 10, color: "#1d2733", "text-valign": "bottom", width: 18, height: 18 } },
      { selector: "node[?center]", style: { width: 30, height: 30, "border-width": 3, "border-color": "#f0a500" } },
      { selector: "edge", style: { width: 1, "line-color": "#c3ccd5" } }],
    layout: { name: "cose", animate: false },
  });
  cy.on("tap", "node", (event) => { const href = event.target.data("href"); if (href) location.assign(href); });
  window.__cy = cy;
}

function renderNotFound() {
  main.replaceChildren(el("h1", {}, "未找到 (404)"), el("p", {}, params.message || "没有这个页面。"), el("p", {}, el("a", { href: "/" }, "返回检索")));
}

const pages = { search: renderSearch, measure: renderMeasure, entity: renderEntity, plan: renderPlan, sparql: renderSparql, notfound: renderNotFound };
Promise.resolve((pages[document.body.dataset.page] || renderNotFound)()).catch((error) => showError(error.message));
