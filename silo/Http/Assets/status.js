// The status page: follows /api/events (Server-Sent Events) and redraws the tables; no reloads, no libraries.
// Everything shown is set with textContent, so names and errors are never interpreted as HTML.
"use strict";

(() => {
  const SOURCE = "orleans-config/source";
  const PAGE_SIZE = 100;
  // Each kind's model: items by key, their keys in union order (namespace, name, source), and the page shown. Only the
  // rows of that page are in the document, so a union of a million items costs a page's worth of DOM.
  const newKind = () => ({ items: new Map(), order: [], page: 0, matched: null, changed: new Set(), loaded: false });
  const state = {
    kinds: { services: newKind(), endpoints: newKind() },
    sources: null,
    filter: "",
    updated: null,    // the newest last change of any source: when the union last changed
    version: null,    // the newest version shown
  };

  const $ = (id) => document.getElementById(id);

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  const sourceOf = (item) => (item.metadata.annotations || {})[SOURCE] || "";
  const keyOf = (item) => `${item.metadata.namespace || "default"}/${item.metadata.name}@${sourceOf(item)}`;

  // kubectl's PORT(S): 80/TCP, 80:30080/TCP with a node port.
  function servicePorts(spec) {
    const ports = spec.ports || [];
    if (ports.length === 0) return "<none>";
    return ports.map((p) => `${p.port}${p.nodePort ? ":" + p.nodePort : ""}/${p.protocol || "TCP"}`).join(", ");
  }

  function formatIp(ip) { return ip.includes(":") ? `[${ip}]` : ip; }

  // What v1 cannot say (serving, terminating, zones) rides in this annotation, a JSON object keyed by IP.
  const conditionsAnnotation = "endpoints.orleans-config.io/conditions";

  function conditionsOf(item) {
    const text = (item.metadata.annotations || {})[conditionsAnnotation];
    if (!text) return {};
    try { return JSON.parse(text) || {}; } catch { return {}; }
  }

  // Ready addresses first, then not-ready ones, each with every port of its subset. A not-ready address that is
  // terminating is marked so; one that still serves is what consumers fall back to, so it is not struck through.
  function endpointAddresses(item) {
    const out = [];
    const conditions = conditionsOf(item);
    for (const subset of item.subsets || []) {
      const ports = subset.ports || [];
      const add = (addresses, ready) => {
        for (const a of addresses || []) {
          const c = conditions[a.ip] || {};
          const terminating = c.terminating === true;
          const serving = typeof c.serving === "boolean" ? c.serving : ready;
          const mark = terminating ? " (terminating)" : "";
          const entry = { ready, serving, terminating };
          if (ports.length === 0) out.push({ ...entry, text: a.ip + mark });
          else for (const p of ports) out.push({ ...entry, text: `${formatIp(a.ip)}:${p.port}${mark}` });
        }
      };
      add(subset.addresses, true);
      add(subset.notReadyAddresses, false);
    }
    return out;
  }

  function age(when) {
    if (!when) return "never";
    const seconds = Math.max(0, Math.floor((Date.now() - Date.parse(when)) / 1000));
    if (seconds < 120) return `${seconds}s ago`;
    if (seconds < 7200) return `${Math.floor(seconds / 60)}m ago`;
    if (seconds < 172800) return `${Math.floor(seconds / 3600)}h ago`;
    return `${Math.floor(seconds / 86400)}d ago`;
  }

  function timeCell(when) {
    const td = el("td", "muted when", age(when));
    td.dataset.when = when || "";
    if (when) td.title = new Date(when).toLocaleString();
    return td;
  }

  function matches(haystack) {
    return state.filter === "" || state.filter.split(/\s+/).every((word) => haystack.includes(word));
  }

  function serviceText(s) {
    const spec = s.spec || {};
    const type = spec.type || "ClusterIP";
    const ip = type === "ExternalName" ? (spec.externalName ? `→ ${spec.externalName}` : "<none>") : (spec.clusterIP || "<none>");
    return { ns: s.metadata.namespace || "default", type, ip, ports: servicePorts(spec), source: sourceOf(s) };
  }

  // What the filter matches a row against, made once per item as it arrives.
  const haystacks = {
    services(s) {
      const t = serviceText(s);
      return `${t.ns} ${s.metadata.name} ${t.source} ${t.type} ${t.ip} ${t.ports}`.toLowerCase();
    },
    endpoints(e) {
      const addresses = endpointAddresses(e).map((a) => a.text).join(" ");
      return `${e.metadata.namespace || "default"} ${e.metadata.name} ${sourceOf(e)} ${addresses}`.toLowerCase();
    },
  };

  const rowOf = {
    services(s) {
      const t = serviceText(s);
      const tr = el("tr");
      tr.append(el("td", "muted", t.ns), el("td", "name", s.metadata.name), sourceCell(t.source), el("td", null, t.type),
        el("td", "mono", t.ip), el("td", "mono", t.ports));
      return tr;
    },
    endpoints(e) {
      const tr = el("tr");
      const cell = el("td", "mono");
      const addresses = endpointAddresses(e);
      if (addresses.length === 0) cell.append(el("span", "muted", "<none>"));
      for (const a of addresses) {
        const draining = !a.ready && a.serving && a.terminating;
        const span = el("span", a.ready ? "addr" : draining ? "addr terminating" : "addr not-ready", a.text);
        if (draining) span.title = "terminating, still serving: used while no address is ready";
        else if (!a.ready) span.title = a.terminating ? "terminating, not serving" : "not ready";
        cell.append(span);
      }
      tr.append(el("td", "muted", e.metadata.namespace || "default"), el("td", "name", e.metadata.name),
        sourceCell(sourceOf(e)), cell);
      return tr;
    },
  };

  const nouns = { services: "services", endpoints: "endpoints" };
  const countIds = { services: "service-count", endpoints: "endpoints-count" };

  // Union order, as the API lists items: namespace, then name, then source, each compared by UTF-16 code unit.
  function compare(a, b) {
    for (let i = 0; i < 3; i++) {
      if (a.sort[i] < b.sort[i]) return -1;
      if (a.sort[i] > b.sort[i]) return 1;
    }
    return 0;
  }

  function entryOf(kind, item) {
    const ns = item.metadata.namespace || "default";
    return { key: keyOf(item), item, sort: [ns, item.metadata.name, sourceOf(item)], hay: haystacks[kind](item) };
  }

  // Where an entry goes (or is) in the ordered keys: binary search, so a change costs its size, not the union's.
  function position(k, entry) {
    let low = 0;
    let high = k.order.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (compare(k.items.get(k.order[mid]), entry) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  // A snapshot: the whole union of one kind replaces the model.
  function load(kind, items) {
    const k = state.kinds[kind];
    const entries = items.map((item) => entryOf(kind, item));
    entries.sort(compare);
    k.items = new Map(entries.map((e) => [e.key, e]));
    k.order = entries.map((e) => e.key);
    k.matched = null;
    k.changed = new Set();
    k.loaded = true;
  }

  // A changes event's part for one kind: items added or changed replace theirs by key, removed ones go.
  function apply(kind, part) {
    const k = state.kinds[kind];
    if (!k.loaded || !part) return false;
    for (const r of part.removed || []) {
      const key = `${r.namespace}/${r.name}@${r.source}`;
      const old = k.items.get(key);
      if (!old) continue;
      k.order.splice(position(k, old), 1);
      k.items.delete(key);
      k.changed.delete(key);
    }
    for (const item of part.upserted || []) {
      const entry = entryOf(kind, item);
      if (!k.items.has(entry.key)) k.order.splice(position(k, entry), 0, entry.key);
      k.items.set(entry.key, entry);
      k.changed.add(entry.key);
    }
    const changed = (part.removed || []).length + (part.upserted || []).length > 0;
    if (changed) k.matched = null;
    return changed;
  }

  // The filter runs over the whole model, then the page is cut from what matched.
  function matching(k) {
    if (state.filter === "") return k.order;
    if (k.matched === null || k.matched.filter !== state.filter) {
      k.matched = { filter: state.filter, keys: k.order.filter((key) => matches(k.items.get(key).hay)) };
    }
    return k.matched.keys;
  }

  function render(kind) {
    const k = state.kinds[kind];
    if (!k.loaded) return;
    const keys = matching(k);
    const pages = Math.max(1, Math.ceil(keys.length / PAGE_SIZE));
    k.page = Math.min(Math.max(0, k.page), pages - 1);
    const start = k.page * PAGE_SIZE;
    const rows = keys.slice(start, start + PAGE_SIZE).map((key) => {
      const tr = rowOf[kind](k.items.get(key).item);
      tr.dataset.key = key;
      tr.dataset.name = k.items.get(key).item.metadata.name;
      if (k.changed.has(key)) tr.className = "flash";
      return tr;
    });
    k.changed.clear();
    $(kind).tBodies[0].replaceChildren(...rows);
    const total = k.order.length;
    $(`${kind}-empty`).hidden = rows.length > 0;
    $(`${kind}-empty`).textContent = total === 0 ? `No ${nouns[kind]} in the union.` : `No ${nouns[kind]} match the filter.`;
    $(`${kind}-shown`).textContent = shownText(keys.length, total);
    $(countIds[kind]).textContent = total.toLocaleString("en-US");
    const pager = $(`${kind}-pager`);
    pager.hidden = keys.length <= PAGE_SIZE;
    $(`${kind}-range`).textContent = keys.length === 0 ? "0 of 0"
      : `${(start + 1).toLocaleString("en-US")}–${(start + rows.length).toLocaleString("en-US")} of ${keys.length.toLocaleString("en-US")}`;
    $(`${kind}-prev`).disabled = k.page === 0;
    $(`${kind}-next`).disabled = k.page >= pages - 1;
  }

  // Events read in one chunk are drawn once, after all of them are applied.
  const dirty = new Set();
  function schedule(kind) {
    if (dirty.size === 0) {
      setTimeout(() => {
        const kinds = [...dirty];
        dirty.clear();
        for (const d of kinds) render(d);
      }, 0);
    }
    dirty.add(kind);
  }

  function sourceCell(source) {
    const td = el("td");
    td.append(el("span", "tag", source || "–"));
    return td;
  }

  function shownText(shown, total) {
    if (state.filter === "") return total === 1 ? "1 item" : `${total.toLocaleString("en-US")} items`;
    return `${shown.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} shown`;
  }

  function renderSources() {
    const sources = state.sources;
    const body = $("sources").tBodies[0];
    const rows = sources.map((s) => {
      const tr = el("tr");
      tr.dataset.name = s.name;
      const synced = el("td");
      synced.append(el("span", s.synced ? "badge yes" : "badge no", s.synced ? "synced" : "not synced"));
      // Stale: silent for its StaleAfter, items kept; dropped: silent for its DropAfter, items out of the union.
      if (s.stale) {
        const badge = el("span", "badge stale", s.dropped ? "dropped" : "stale");
        badge.title = s.dropped ? `not heard from for ${s.dropAfter}: its items are out of the union until it is heard from again`
          : `not heard from for ${s.staleAfter || s.dropAfter}: its items stay in the union`;
        synced.append(" ", badge);
      }
      const error = s.lastError ? el("td", "error", s.lastError) : el("td", s.lastWarning ? "" : "muted", s.lastWarning ? "" : "–");
      if (s.lastErrorAt) error.title = `since ${new Date(s.lastErrorAt).toLocaleString()}`;
      // A warning (unknown fields in what the source serves) is not an error: shown beside it, in the warning colour.
      if (s.lastWarning) error.append(el("div", "warning", `warning: ${s.lastWarning}`));
      tr.append(el("td", "name", s.name), el("td", "num", s.services), el("td", "num", s.endpoints), synced,
        timeCell(s.lastChange), timeCell(s.lastHeard), error);
      return tr;
    });
    body.replaceChildren(...rows);
    $("sources-empty").hidden = rows.length > 0;
    const changes = sources.map((s) => s.lastChange).filter((when) => when).map((when) => Date.parse(when));
    state.updated = changes.length > 0 ? new Date(Math.max(...changes)).toISOString() : null;
    $("updated").textContent = state.updated ? `last change ${age(state.updated)}` : "";
    const synced = sources.filter((s) => s.synced).length;
    const failing = sources.filter((s) => s.lastError).length;
    const warning = sources.filter((s) => s.lastWarning).length;
    const stale = sources.filter((s) => s.stale).length;
    const dropped = sources.filter((s) => s.dropped).length;
    $("sources-summary").textContent = sources.length === 0 ? "" :
      `${synced} of ${sources.length} synced` + (failing > 0 ? ` · ${failing} with errors` : "") +
      (warning > 0 ? ` · ${warning} with warnings` : "") + (stale > 0 ? ` · ${stale} stale` : "") +
      (dropped > 0 ? ` · ${dropped} dropped` : "");
  }

  // Subscribers: read from /api/subscribers every few seconds (they report about every 5 s themselves).
  function lagText(s) {
    if (s.versionsBehind === 0 && s.secondsBehind === 0) return "0";
    return `${s.versionsBehind ?? "?"} (${s.secondsBehind}s)`;
  }

  function renderSubscribers(subscribers) {
    const rows = subscribers.map((s) => {
      const tr = el("tr");
      const error = s.lastError ? el("td", "error", s.lastError) : el("td", "muted", "–");
      if (s.lastErrorAt) error.title = `at ${new Date(s.lastErrorAt).toLocaleString()}`;
      const lag = el("td", "num", lagText(s));
      if (s.union) lag.title = `union ${s.union}`;
      tr.append(el("td", "name", s.client), el("td", "", s.host), el("td", "", `${s.processName}[${s.processId}]`), el("td", "", s.kind),
        el("td", "", s.handlers.length ? s.handlers.join(", ") : "–"), el("td", "", s.applied || "–"), lag,
        el("td", "num", s.resyncs), error, timeCell(s.firstSeen));
      return tr;
    });
    $("subscribers").tBodies[0].replaceChildren(...rows);
    $("subscribers-empty").hidden = rows.length > 0;
    const behind = subscribers.filter((s) => lagText(s) !== "0").length;
    $("subscribers-summary").textContent = subscribers.length === 0 ? "" :
      `${subscribers.length} following` + (behind > 0 ? ` · ${behind} behind` : "");
  }

  async function followSubscribers() {
    for (;;) {
      try {
        const response = await fetch("/api/subscribers", { headers, cache: "no-store" });
        if (response.ok) renderSubscribers(await response.json());
      } catch {
        // The event stream's badge already says when the silo is unreachable.
      }
      await sleep(5000);
    }
  }

  function redraw() {
    for (const kind of Object.keys(state.kinds)) schedule(kind);
  }

  function connection(kind, text) {
    $("connection").className = `connection ${kind}`;
    $("connection-text").textContent = text;
  }

  // With a token set on the silo the token page put it here; without one, requests go as they are.
  const token = sessionStorage.getItem("orleans-config-token");
  const headers = token ? { Authorization: `Bearer ${token}` } : {};

  // "epoch:version": the number counts changes; the epoch is new each time the aggregator starts over.
  function showVersion(text) {
    state.version = text;
    const [epoch, version] = text.includes(":") ? text.split(":") : ["", text];
    $("version").textContent = version || "–";
    $("epoch").textContent = epoch ? `epoch ${epoch}` : "";
    $("epoch").title = "A new epoch begins each time the union is rebuilt";
  }

  // On connect (and when the page fell too far behind) a snapshot: services, endpoints, sources, version; then changes.
  const handlers = {
    services(data) {
      load("services", JSON.parse(data).items);
      schedule("services");
    },
    endpoints(data) {
      load("endpoints", JSON.parse(data).items);
      schedule("endpoints");
    },
    changes(data) {
      const changes = JSON.parse(data);
      // Only a table whose kind changed is drawn again.
      if (apply("services", changes.services)) schedule("services");
      if (apply("endpoints", changes.endpoints)) schedule("endpoints");
      if (changes.version) showVersion(changes.version);
    },
    sources(data) {
      state.sources = JSON.parse(data);
      renderSources();
    },
    version(data) {
      showVersion(JSON.parse(data).version || "");
    },
  };

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // One Server-Sent Events message: its event name, its data lines, or the reconnect delay it sets.
  function dispatch(block, stream) {
    let name = "message";
    const data = [];
    for (const line of block.split(/\r?\n/)) {
      if (line === "" || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") name = value;
      else if (field === "data") data.push(value);
      else if (field === "retry" && /^\d+$/.test(value)) stream.retry = Number(value);
    }
    if (data.length > 0 && handlers[name]) handlers[name](data.join("\n"));
  }

  // EventSource cannot send an Authorization header, so the stream is read with fetch: the token never goes in a URL.
  async function follow() {
    const stream = { retry: 2000 };
    for (;;) {
      let wait = stream.retry;
      try {
        const response = await fetch("/api/events", { headers, cache: "no-store" });
        if (response.status === 401) {
          // The silo's token changed: the token page asks again.
          sessionStorage.removeItem("orleans-config-token");
          location.reload();
          return;
        }
        if (response.status === 503) {
          connection("down", "too many pages open");
          wait = Math.max(wait, 5000);
        } else if (!response.ok || !response.body) {
          connection("down", `disconnected (${response.status})`);
        } else {
          connection("live", "live");
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = "";
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffer += value;
            let end;
            while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, "");
              dispatch(block, stream);
            }
          }
          connection("connecting", "reconnecting");
        }
      } catch {
        connection("connecting", "reconnecting");
      }
      await sleep(wait);
    }
  }
  follow();
  followSubscribers();

  // With a token the footer's links open in a new tab, fetched with it: a link cannot send it.
  for (const link of token ? document.querySelectorAll("footer a") : []) {
    link.addEventListener("click", async (e) => {
      e.preventDefault();
      const tab = window.open("", "_blank");
      const response = await fetch(link.getAttribute("href"), { headers, cache: "no-store" });
      const text = await response.text();
      if (tab) tab.location.href = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
    });
  }

  $("filter").addEventListener("input", (e) => {
    state.filter = e.target.value.trim().toLowerCase();
    for (const k of Object.values(state.kinds)) k.page = 0;
    redraw();
  });

  for (const kind of Object.keys(state.kinds)) {
    $(`${kind}-prev`).addEventListener("click", () => { state.kinds[kind].page--; schedule(kind); });
    $(`${kind}-next`).addEventListener("click", () => { state.kinds[kind].page++; schedule(kind); });
  }

  // Ages ("12s ago") move on without a new event.
  setInterval(() => {
    for (const td of document.querySelectorAll("td.when")) td.textContent = age(td.dataset.when);
    if (state.updated) $("updated").textContent = `last change ${age(state.updated)}`;
  }, 1000);
})();
