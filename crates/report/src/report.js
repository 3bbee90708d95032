// reprint report: renders the embedded JSON on demand. Document strings are only ever
// put in the page with textContent / createTextNode (never innerHTML), so a text that
// contains markup shows it and runs nothing.
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var index = JSON.parse(document.getElementById('index').textContent);
  var pageCount = index.length ? index[index.length - 1].page + 1 : 0;
  var pages = {};
  var state = { listPage: 0, cluster: null, a: null, b: null };

  function loadPage(k) {
    if (!(k in pages)) {
      var node = document.getElementById('page-' + k);
      pages[k] = node ? JSON.parse(node.textContent) : [];
    }
    return pages[k];
  }
  function entry(id) {
    for (var i = 0; i < index.length; i++) if (index[i].id === id) return index[i];
    return null;
  }
  function clusterData(id) {
    var e = entry(id);
    if (!e) return null;
    var list = loadPage(e.page);
    for (var i = 0; i < list.length; i++) if (list[i].id === id) return list[i];
    return null;
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function svg(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  }
  function row(cells, cls) {
    var tr = el('tr', cls);
    cells.forEach(function (c) { tr.appendChild(el('td', null, c)); });
    return tr;
  }
  function table(headers) {
    var t = el('table');
    var tr = el('tr');
    headers.forEach(function (h) { tr.appendChild(el('th', null, h)); });
    t.appendChild(tr);
    return t;
  }
  function reasonList(reasons) {
    var ul = el('ul', 'reasons');
    (reasons || []).forEach(function (r) {
      var li = el('li');
      li.appendChild(el('span', 'code', r.code));
      li.appendChild(document.createTextNode(' ' + r.text));
      ul.appendChild(li);
    });
    return ul;
  }
  function fmt(x) { return (Math.round(x * 100) / 100).toString(); }

  // ---- cluster list (paged) ----
  function renderList() {
    var nav = document.getElementById('list');
    nav.textContent = '';
    nav.appendChild(el('h2', null, 'Clusters, largest and most widespread first'));
    var pager = el('div', 'pager');
    var prev = el('button', null, '\u2190 previous');
    var next = el('button', null, 'next \u2192');
    prev.disabled = state.listPage <= 0;
    next.disabled = state.listPage >= pageCount - 1;
    prev.onclick = function () { state.listPage--; renderList(); };
    next.onclick = function () { state.listPage++; renderList(); };
    pager.appendChild(prev);
    pager.appendChild(el('span', null, 'page ' + (state.listPage + 1) + ' of ' + Math.max(pageCount, 1)));
    pager.appendChild(next);
    var go = el('input');
    go.placeholder = 'cluster id';
    go.size = 10;
    go.onchange = function () { var id = parseInt(go.value, 10); if (entry(id)) location.hash = 'c=' + id; };
    pager.appendChild(go);
    nav.appendChild(pager);
    var t = table(['#', 'cluster', 'size', 'spread', 'first date', 'last date', 'likely original', 'title']);
    index.forEach(function (e, rank) {
      if (e.page !== state.listPage) return;
      var tr = row([rank + 1, e.id, e.size, e.spread, e.first || '', e.last || '', e.source || '', e.title || ''],
        'cluster-row' + (e.id === state.cluster ? ' current' : ''));
      tr.setAttribute('data-cluster', String(e.id));
      tr.onclick = function () { location.hash = 'c=' + e.id; };
      t.appendChild(tr);
    });
    nav.appendChild(t);
    if (!index.length) nav.appendChild(el('p', 'note', 'No clusters: no document has a copy.'));
  }

  // ---- timeline ----
  function dayOf(date) {
    var m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(date || '');
    if (!m) return null;
    return Date.UTC(+m[1], m[2] ? +m[2] - 1 : 0, m[3] ? +m[3] : 1) / 86400000;
  }
  function timeline(c) {
    var dated = [];
    c.members.forEach(function (m, i) { var d = dayOf(m.date); if (d !== null) dated.push([d, i]); });
    if (!dated.length) return el('p', 'note', 'No member is dated.');
    dated.sort(function (x, y) { return x[0] - y[0] || x[1] - y[1]; });
    var shown = dated.slice(0, 80);
    var lo = shown[0][0], hi = shown[shown.length - 1][0];
    var W = 900, left = 90, right = 260, H = 30 + shown.length * 16;
    var s = svg('svg', { width: W, height: H, 'class': 'timeline', viewBox: '0 0 ' + W + ' ' + H });
    var x = function (d) { return hi === lo ? (left + W - right) / 2 : left + (d - lo) / (hi - lo) * (W - left - right); };
    s.appendChild(svg('line', { x1: left, x2: W - right, y1: 14, y2: 14, 'class': 'axis' }));
    var t0 = svg('text', { x: 4, y: 18 }); t0.textContent = c.members[shown[0][1]].date; s.appendChild(t0);
    shown.forEach(function (p, k) {
      var m = c.members[p[1]], y = 30 + k * 16;
      var g = svg('g', { 'class': 'node' + (m.original ? ' orig' : '') });
      g.appendChild(svg('circle', { cx: x(p[0]), cy: y, r: 5 }));
      var label = svg('text', { x: x(p[0]) + 9, y: y + 4 });
      label.textContent = m.id + '  ' + m.date + (m.date_from_text ? ' (from text)' : '') + (m.site ? '  ' + m.site : '');
      g.appendChild(label);
      s.appendChild(g);
    });
    return s;
  }

  // ---- derivation graph: layered by longest path from the roots ----
  function graph(c) {
    var n = c.members.length;
    if (n > 150) return el('p', 'note', 'Graph not drawn for ' + n + ' members; see the derivations below.');
    var depth = c.members.map(function () { return 0; });
    for (var round = 0; round < n; round++) {
      var changed = false;
      c.edges.forEach(function (e) {
        if (depth[e.c] < depth[e.s] + 1 && depth[e.s] + 1 < n) { depth[e.c] = depth[e.s] + 1; changed = true; }
      });
      if (!changed) break;
    }
    var layers = {}, pos = [];
    depth.forEach(function (d, i) { layers[d] = layers[d] || []; pos[i] = [d, layers[d].length]; layers[d].push(i); });
    var maxRows = 0, maxDepth = 0;
    Object.keys(layers).forEach(function (d) { maxRows = Math.max(maxRows, layers[d].length); maxDepth = Math.max(maxDepth, +d); });
    var W = 60 + (maxDepth + 1) * 220, H = 30 + maxRows * 36;
    var s = svg('svg', { width: W, height: H, 'class': 'graph', viewBox: '0 0 ' + W + ' ' + H });
    var defs = svg('defs', {});
    var marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 16, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto' });
    marker.appendChild(svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#57606a' }));
    defs.appendChild(marker);
    s.appendChild(defs);
    var at = function (i) { return [30 + pos[i][0] * 220, 24 + pos[i][1] * 36]; };
    c.undirected.forEach(function (u) {
      var p = at(u.a), q = at(u.b);
      s.appendChild(svg('line', { x1: p[0], y1: p[1], x2: q[0], y2: q[1], 'class': 'edge undirected' }));
    });
    c.edges.forEach(function (e) {
      var p = at(e.s), q = at(e.c);
      var line = svg('line', { x1: p[0], y1: p[1], x2: q[0], y2: q[1], 'class': 'edge', 'marker-end': 'url(#arrow)' });
      var title = svg('title', {}); title.textContent = e.kind + ', score ' + fmt(e.score); line.appendChild(title);
      s.appendChild(line);
    });
    c.members.forEach(function (m, i) {
      var p = at(i);
      var g = svg('g', { 'class': 'node' + (m.original ? ' orig' : '') });
      g.appendChild(svg('circle', { cx: p[0], cy: p[1], r: 7 }));
      var label = svg('text', { x: p[0] + 10, y: p[1] - 8 });
      label.textContent = m.id.length > 30 ? m.id.slice(0, 29) + '\u2026' : m.id;
      g.appendChild(label);
      s.appendChild(g);
    });
    return s;
  }

  // ---- text with highlighted passages and greyed boilerplate ----
  function renderText(pre, text, layers) {
    var points = [0, text.length], events = [];
    layers.forEach(function (layer, li) {
      layer.spans.forEach(function (sp) {
        var a = Math.max(0, Math.min(sp[0], text.length)), b = Math.max(0, Math.min(sp[1], text.length));
        if (b > a) { events.push([a, 1, li]); events.push([b, -1, li]); points.push(a, b); }
      });
    });
    points = points.sort(function (x, y) { return x - y; }).filter(function (p, i, arr) { return i === 0 || p !== arr[i - 1]; });
    events.sort(function (x, y) { return x[0] - y[0]; });
    var active = layers.map(function () { return 0; }), k = 0;
    for (var i = 0; i + 1 < points.length; i++) {
      var p = points[i], q = points[i + 1];
      while (k < events.length && events[k][0] <= p) { active[events[k][2]] += events[k][1]; k++; }
      var classes = [];
      layers.forEach(function (layer, li) { if (active[li] > 0) classes.push(layer.cls); });
      var piece = text.slice(p, q);
      if (!classes.length) { pre.appendChild(document.createTextNode(piece)); continue; }
      var marked = classes.indexOf('hl') >= 0 || classes.indexOf('sl') >= 0;
      pre.appendChild(el(marked ? 'mark' : 'span', classes.join(' '), piece));
    }
  }

  function side(c, i, spans, sentences, whole) {
    var m = c.members[i];
    var div = el('div', 'side');
    div.appendChild(el('h4', null, m.id + (m.date ? ' \u2014 ' + m.date : '') + (m.site ? ' \u2014 ' + m.site : '')));
    if (m.title) div.appendChild(el('div', 'note', m.title));
    var pre = el('pre', 'text');
    if (m.text === null || m.text === undefined) {
      pre.appendChild(el('span', 'note', 'Text not embedded (see texts.jsonl in the scan folder).'));
    } else {
      var hl = whole ? [[0, m.text.length]] : spans;
      renderText(pre, m.text, [{ spans: m.boilerplate, cls: 'bp' }, { spans: sentences, cls: 'sl' }, { spans: hl, cls: 'hl' }]);
    }
    div.appendChild(pre);
    return div;
  }

  function findPair(c, a, b) {
    for (var i = 0; i < c.pairs.length; i++) {
      var p = c.pairs[i];
      if ((p.a === a && p.b === b) || (p.a === b && p.b === a)) return p;
    }
    return null;
  }

  function renderPair(c, a, b, box) {
    box.textContent = '';
    var p = findPair(c, a, b);
    var head = el('p');
    if (p) {
      head.textContent = c.members[a].id + ' \u2194 ' + c.members[b].id + ': ' + p.kind + (p.corroborated ? ' (corroborated by the other links into this cluster)' : '') + ', similarity ' + fmt(p.similarity) +
        (p.coverage ? ', coverage ' + fmt(p.coverage[p.a === a ? 0 : 1]) + ' / ' + fmt(p.coverage[p.a === a ? 1 : 0]) : '');
    } else {
      head.textContent = c.members[a].id + ' \u2194 ' + c.members[b].id + ': no verified link between these two (texts shown without highlights).';
    }
    box.appendChild(head);
    var legend = el('p', 'legend');
    legend.appendChild(el('mark', 'hl', 'reused passage'));
    legend.appendChild(document.createTextNode(' '));
    legend.appendChild(el('mark', 'sl', 'same sentence, reworded'));
    legend.appendChild(document.createTextNode(' '));
    legend.appendChild(el('span', 'bp', 'boilerplate'));
    box.appendChild(legend);
    var pair = el('div', 'pair');
    var whole = p && !p.pa.length && !p.sa.length && (p.kind === 'exact' || p.kind === 'near');
    var swap = p && p.a !== a;
    pair.appendChild(side(c, a, p ? (swap ? p.pb : p.pa) : [], p ? (swap ? p.sb : p.sa) : [], whole));
    pair.appendChild(side(c, b, p ? (swap ? p.pa : p.pb) : [], p ? (swap ? p.sa : p.sb) : [], whole));
    box.appendChild(pair);
  }

  function renderCluster(id) {
    var main = document.getElementById('detail');
    main.textContent = '';
    var c = clusterData(id);
    if (!c) { main.appendChild(el('p', 'note', 'No cluster ' + id + '.')); return; }
    var sec = el('section', 'cluster');
    sec.id = 'cluster-' + c.id;
    sec.appendChild(el('h2', null, 'Cluster ' + c.id + ': ' + c.members.length + ' documents'));
    var orig = el('p');
    orig.appendChild(document.createTextNode('Likely original: '));
    orig.appendChild(el('strong', 'original', c.source || '(undetermined)'));
    sec.appendChild(orig);
    sec.appendChild(reasonList(c.source_reasons));
    if (c.story_families.length) {
      var st = el('p');
      st.appendChild(document.createTextNode('Story ' + c.story + ', also told by: '));
      c.story_families.forEach(function (f, i) {
        if (i) st.appendChild(document.createTextNode(', '));
        if (f.size > 1 && entry(f.cluster)) {
          var a = el('a', null, 'cluster ' + f.cluster + ' (' + f.size + ' documents)');
          a.href = '#c=' + f.cluster;
          st.appendChild(a);
        } else {
          st.appendChild(document.createTextNode(f.first + (f.size > 1 ? ' (cluster ' + f.cluster + ', ' + f.size + ' documents)' : ' (alone in its family)')));
        }
      });
      if (c.story_families_left_out) st.appendChild(document.createTextNode(' and ' + c.story_families_left_out + ' more'));
      sec.appendChild(st);
    }
    if (c.cited.length) {
      sec.appendChild(el('h3', null, 'Sources credited by members, outside the collection'));
      var ul = el('ul');
      c.cited.forEach(function (x) { ul.appendChild(el('li', null, x.name + ' (' + x.kind + ') cited by ' + x.by.join(', '))); });
      sec.appendChild(ul);
    }
    sec.appendChild(el('h3', null, 'Timeline'));
    sec.appendChild(timeline(c));
    sec.appendChild(el('h3', null, 'Derivation graph (arrows from source to copy; dashed: undetermined)'));
    sec.appendChild(graph(c));
    if (c.edges.length) {
      var et = table(['source', 'copy', 'relation', 'score', 'reasons', 'against']);
      c.edges.forEach(function (e) {
        var tr = row([c.members[e.s].id, c.members[e.c].id, e.kind, fmt(e.score)]);
        var td = el('td'); td.appendChild(reasonList(e.reasons)); tr.appendChild(td);
        var td2 = el('td'); td2.appendChild(reasonList(e.against)); tr.appendChild(td2);
        et.appendChild(tr);
      });
      sec.appendChild(et);
    }
    sec.appendChild(el('h3', null, 'Members'));
    var mt = table(['id', 'date', 'site', 'relation', 'attributions', 'derived from']);
    c.members.forEach(function (m) {
      mt.appendChild(row([m.id + (m.original ? ' (original)' : ''), (m.date || '') + (m.date_from_text ? ' (text)' : ''), m.site || '', m.relation || '',
        m.attributions.map(function (a) { return a.kind + ': ' + a.name; }).join('; '),
        m.derived_from.map(function (d) { return d.id + ' (' + d.reasons.map(function (r) { return r.code; }).join(', ') + ')'; }).join('; ')]));
    });
    sec.appendChild(mt);
    sec.appendChild(el('h3', null, 'Links' + (c.pairs_left_out ? ' (' + c.pairs_left_out + ' weaker links not shown)' : '')));
    var pt = table(['a', 'b', 'relation', 'similarity', 'aligned words + sentences']);
    var box = el('div', 'pairview');
    c.pairs.forEach(function (p) {
      var tr = row([c.members[p.a].id, c.members[p.b].id, p.kind + (p.corroborated ? ' (corroborated)' : ''), fmt(p.similarity), p.words],
        'pair-row' + (p.a === state.a && p.b === state.b ? ' current' : ''));
      tr.onclick = function () { location.hash = 'c=' + c.id + '&a=' + p.a + '&b=' + p.b; };
      pt.appendChild(tr);
    });
    sec.appendChild(pt);
    if (c.outside.length) {
      sec.appendChild(el('h3', null, 'Links to other families (shared passages and same-story links; they do not make a copy)' + (c.outside_left_out ? ' (' + c.outside_left_out + ' weaker links not shown)' : '')));
      var ot = table(['member', 'other document', 'its cluster', 'relation', 'similarity', 'aligned words + sentences']);
      c.outside.forEach(function (o) {
        var tr = row([c.members[o.m].id, o.other, String(o.cluster), o.kind, fmt(o.similarity), o.words]);
        if (entry(o.cluster)) tr.onclick = function () { location.hash = 'c=' + o.cluster; };
        ot.appendChild(tr);
      });
      sec.appendChild(ot);
    }
    var cmp = el('div', 'compare');
    cmp.appendChild(el('span', null, 'Compare any two:'));
    var sa = el('select'), sb = el('select');
    c.members.forEach(function (m, i) {
      var o1 = el('option', null, m.id); o1.value = String(i); sa.appendChild(o1);
      var o2 = el('option', null, m.id); o2.value = String(i); sb.appendChild(o2);
    });
    var show = el('button', null, 'show');
    show.onclick = function () { location.hash = 'c=' + c.id + '&a=' + sa.value + '&b=' + sb.value; };
    cmp.appendChild(sa); cmp.appendChild(sb); cmp.appendChild(show);
    sec.appendChild(cmp);
    var a = state.a, b = state.b;
    if (a === null || b === null || !c.members[a] || !c.members[b]) {
      if (c.pairs.length) { a = c.pairs[0].a; b = c.pairs[0].b; } else { a = 0; b = Math.min(1, c.members.length - 1); }
    }
    sa.value = String(a); sb.value = String(b);
    renderPair(c, a, b, box);
    sec.appendChild(box);
    main.appendChild(sec);
  }

  function route() {
    var h = {};
    location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
      var p = kv.split('=');
      if (p.length === 2) h[p[0]] = parseInt(p[1], 10);
    });
    var id = (h.c !== undefined && entry(h.c)) ? h.c : (index.length ? index[0].id : null);
    state.cluster = id;
    state.a = h.a !== undefined && !isNaN(h.a) ? h.a : null;
    state.b = h.b !== undefined && !isNaN(h.b) ? h.b : null;
    var e = entry(id);
    if (e) state.listPage = e.page;
    renderList();
    if (id !== null) renderCluster(id);
  }
  window.addEventListener('hashchange', route);
  route();
})();
