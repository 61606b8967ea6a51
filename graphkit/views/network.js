/* graphkit network view.
 *
 * Reads the data from <script type="application/json" id="graphkit-data"> with
 * JSON.parse, draws it with vis-network and puts every piece of text into the page with
 * textContent (or as a plain-text vis-network title, which vis-network 9 sets with
 * innerText). Nothing here builds HTML from strings.
 */
(function () {
  'use strict';

  var DAY = 86400000;
  var data = JSON.parse(document.getElementById('graphkit-data').textContent);
  var E = data.entities;
  var R = data.relations;
  var nNodes = E.id.length;
  var nRel = R.id.length;
  var relTypes = data.relationTypes;
  var entTypes = data.entityTypes;
  var aggregate = !!data.aggregate;
  var big = nRel > 3000 || nNodes > 1000;
  var SIGNS = {
    '1': { color: '#2e7d32', dashes: false, css: 'solid', label: 'cooperative (+)' },
    '0': { color: '#808080', dashes: [2, 5], css: 'dotted', label: 'neutral (0)' },
    '-1': { color: '#c62828', dashes: [8, 5], css: 'dashed', label: 'hostile (\u2212)' }
  };
  var DIM = '#dedede';
  var QUADS = ['none', 'verbal cooperation', 'material cooperation', 'verbal conflict',
    'material conflict'];

  function $(id) { return document.getElementById(id); }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function isoDay(day) {
    if (day === null || !isFinite(day)) return '';
    return new Date(day * DAY).toISOString().slice(0, 10);
  }

  function parseDay(text) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
    var t = Date.parse(text + 'T00:00:00Z');
    return isFinite(t) ? Math.round(t / DAY) : null;
  }

  function fmt(x) {
    if (x === null || x === undefined) return '';
    return Number.isInteger(x) ? String(x) : String(Math.round(x * 100) / 100);
  }

  function signOf(x) { return x > 0 ? 1 : (x < 0 ? -1 : 0); }

  // ------------------------------------------------------------------ derived data

  var relSigned = new Float64Array(nRel);
  var relEnd = new Float64Array(nRel);
  var pairKey = new Array(nRel);
  for (var j = 0; j < nRel; j++) {
    relSigned[j] = R.sign[j] * Math.abs(R.weight[j]);
    relEnd[j] = R.te[j] === null ? Infinity : R.te[j];
    var lo = Math.min(R.source[j], R.target[j]);
    var hi = Math.max(R.source[j], R.target[j]);
    pairKey[j] = lo * nNodes + hi;
  }

  var pairs = [];            // aggregate mode: one vis edge per unordered pair
  var pairOfRel = new Int32Array(nRel);
  (function () {
    var index = new Map();
    for (var j = 0; j < nRel; j++) {
      var p = index.get(pairKey[j]);
      if (p === undefined) {
        p = pairs.length;
        index.set(pairKey[j], p);
        pairs.push({ lo: Math.min(R.source[j], R.target[j]),
                     hi: Math.max(R.source[j], R.target[j]), rels: [] });
      }
      pairs[p].rels.push(j);
      pairOfRel[j] = p;
    }
  })();

  var changePoints = (function () {
    var set = new Set();
    for (var j = 0; j < nRel; j++) {
      set.add(R.ts[j]);
      if (R.te[j] !== null) set.add(R.te[j]);
    }
    return Array.from(set).sort(function (a, b) { return a - b; });
  })();

  var readiness = { ready: false, readyAt: null };
  // The sliders span data.span (the compared ranges) when given, else the whole domain;
  // the "full span" button widens them to every date of the data and back.
  var fullLow = data.domain[0], fullHigh = data.domain[1];
  var spanLow = data.span ? data.span[0] : fullLow;
  var spanHigh = data.span ? data.span[1] : fullHigh;
  var lowDay = spanLow;
  var highDay = spanHigh;

  // ------------------------------------------------------------------------- text

  function relationDates(j) {
    var start = R.start[j];
    var end = R.end[j];
    if (end) return start + ' \u2013 ' + end;
    if (R.te[j] === null) return start + ' \u2013 ongoing';
    return start;
  }

  function arrow(j) { return R.directed[j] ? ' \u2192 ' : ' \u2014 '; }

  function relationHeading(j) {
    return E.name[R.source[j]] + arrow(j) + E.name[R.target[j]];
  }

  function clip(text, n) { return text.length > n ? text.slice(0, n - 1) + '\u2026' : text; }

  function relationTitle(j) {
    var t = relTypes[R.type[j]];
    var lines = [relationHeading(j),
      'type: ' + t.name + ' (' + SIGNS[String(R.sign[j])].label + ')',
      'dates: ' + relationDates(j),
      'weight: ' + fmt(R.weight[j]) + '   confidence: ' + fmt(R.confidence[j])];
    if (R.evidence[j]) lines.push('evidence: ' + clip(R.evidence[j], 300));
    if (R.sourceRef[j]) lines.push('source: ' + clip(R.sourceRef[j], 200));
    return lines.join('\n');
  }

  function entityTitle(i) {
    var lines = [E.name[i], 'id: ' + E.id[i], 'type: ' + entTypes[E.type[i]].name];
    if (E.aliases[i].length) lines.push('aliases: ' + clip(E.aliases[i].join('; '), 200));
    return lines.join('\n');
  }

  // ----------------------------------------------------------------------- styles

  function nodeColor(i, dim) {
    var c = dim ? DIM : entTypes[E.type[i]].color;
    return { background: c, border: dim ? '#c8c8c8' : '#444444',
             highlight: { background: c, border: '#000000' },
             hover: { background: c, border: '#000000' } };
  }

  function nodeFont(dim) {
    return { color: dim ? '#b5b5b5' : '#222222' };
  }

  function edgeColor(c) { return { color: c, highlight: c, hover: c, inherit: false }; }

  function smoothOption(code) {
    if (code === 0) return { enabled: false };
    return { enabled: true, type: code > 0 ? 'curvedCW' : 'curvedCCW',
             roundness: Math.min(0.15 * Math.abs(code), 0.9) };
  }

  // ------------------------------------------------------------------------ state

  var init = data.initial;
  var state = {
    mode: init.mode,
    at: init.at,
    from: init.start,
    to: init.end,
    types: relTypes.map(function () { return true; }),
    hideIsolated: !!data.hideIsolated,
    highlight: null,
    timer: null
  };

  function isActive(j) {
    if (!state.types[R.type[j]]) return false;
    if (state.mode === 'asof') return R.ts[j] <= state.at && state.at < relEnd[j];
    if (state.mode === 'range') return R.ts[j] < state.to && relEnd[j] > state.from;
    return true;
  }

  // ------------------------------------------------------------------- data sets

  var nodeItems = new Array(nNodes);
  for (var i = 0; i < nNodes; i++) {
    var item = { id: i, label: E.name[i], title: entityTitle(i),
                 shape: entTypes[E.type[i]].shape, size: E.size[i],
                 color: nodeColor(i, false), font: nodeFont(false) };
    if (E.x) { item.x = E.x[i]; item.y = E.y[i]; }
    nodeItems[i] = item;
  }

  var edgeItems = [];
  if (aggregate) {
    for (var p = 0; p < pairs.length; p++) {
      edgeItems.push({ id: p, from: pairs[p].lo, to: pairs[p].hi, hidden: true, label: '',
                       smooth: { enabled: false } });
    }
  } else {
    for (var k = 0; k < nRel; k++) {
      var sign = SIGNS[String(R.sign[k])];
      edgeItems.push({ id: k, from: R.source[k], to: R.target[k], hidden: true,
                       title: relationTitle(k), color: edgeColor(sign.color),
                       dashes: sign.dashes, width: 1 + Math.abs(R.weight[k]) / 2.5,
                       arrows: { to: { enabled: !!R.directed[k], scaleFactor: 0.6 } },
                       smooth: { enabled: false },
                       // one spring per pair: parallel relations do not pull harder
                       physics: pairs[pairOfRel[k]].rels[0] === k });
    }
  }

  // What is currently drawn, to send vis-network only what changes.
  var shown = {
    edgeHidden: new Uint8Array(edgeItems.length).fill(1),
    edgeSmooth: new Int16Array(edgeItems.length),
    edgeDim: new Uint8Array(edgeItems.length),
    edgeSig: new Array(edgeItems.length).fill(''),
    nodeHidden: new Uint8Array(nNodes),
    nodeDim: new Uint8Array(nNodes)
  };
  var current = { active: new Uint8Array(nRel), edgeVisible: new Uint8Array(edgeItems.length),
                  activeCount: 0, visibleNodes: nNodes };

  var nodes = new vis.DataSet(nodeItems);
  var edges = new vis.DataSet(edgeItems);

  function aggregateAttributes(p, activeRels) {
    var net = 0, fwd = false, back = false;
    for (var a = 0; a < activeRels.length; a++) {
      var j = activeRels[a];
      net += relSigned[j];
      if (R.directed[j]) {
        if (R.source[j] === pairs[p].lo) fwd = true; else back = true;
      }
    }
    var s = SIGNS[String(signOf(net))];
    var counts = new Map();
    for (var b = 0; b < activeRels.length; b++) {
      var name = relTypes[R.type[activeRels[b]]].name;
      counts.set(name, (counts.get(name) || 0) + 1);
    }
    var lines = [E.name[pairs[p].lo] + ' \u2014 ' + E.name[pairs[p].hi],
      activeRels.length + ' relation' + (activeRels.length === 1 ? '' : 's') +
      ', net ' + fmt(net)];
    counts.forEach(function (n, name) { lines.push(name + ': ' + n); });
    return {
      sig: activeRels.length + '|' + net + '|' + fwd + '|' + back + '|' + lines.join('\n'),
      attrs: { label: String(activeRels.length), title: lines.join('\n'),
               color: edgeColor(s.color), dashes: s.dashes,
               width: 1 + Math.min(activeRels.length, 25) * 0.4,
               arrows: { to: { enabled: fwd, scaleFactor: 0.6 },
                         from: { enabled: back, scaleFactor: 0.6 } } },
      color: s.color
    };
  }

  function apply() {
    var active = current.active;
    var count = 0;
    var groups = new Map();
    for (var j = 0; j < nRel; j++) {
      var on = isActive(j) ? 1 : 0;
      active[j] = on;
      if (!on) continue;
      count++;
      var key = aggregate ? pairOfRel[j] : pairKey[j];
      var g = groups.get(key);
      if (g === undefined) groups.set(key, [j]); else g.push(j);
    }
    current.activeCount = count;

    var edgeUpdates = new Map();
    function edgeUpdate(id) {
      var u = edgeUpdates.get(id);
      if (!u) { u = { id: id }; edgeUpdates.set(id, u); }
      return u;
    }
    var visible = current.edgeVisible;
    var degree = new Int32Array(nNodes);
    var baseColor = new Array(edgeItems.length);

    if (aggregate) {
      for (var p = 0; p < pairs.length; p++) {
        var rels = groups.get(p);
        visible[p] = rels ? 1 : 0;
        if (!rels) continue;
        degree[pairs[p].lo]++; degree[pairs[p].hi]++;
        var agg = aggregateAttributes(p, rels);
        baseColor[p] = agg.color;
        if (agg.sig !== shown.edgeSig[p]) {
          shown.edgeSig[p] = agg.sig;
          shown.edgeDim[p] = 0;
          Object.assign(edgeUpdate(p), agg.attrs);
        }
      }
    } else {
      var smooth = new Int16Array(nRel);
      groups.forEach(function (list) {
        var n = list.length;
        if (n < 2) return;
        for (var k = 0; k < n; k++) {
          var rank = n % 2 === 1 ? k : k + 1;
          if (rank === 0) continue;
          var code = (rank % 2 === 1 ? 1 : -1) * Math.ceil(rank / 2);
          var jj = list[k];
          smooth[jj] = R.source[jj] > R.target[jj] ? -code : code;
        }
      });
      for (var e = 0; e < nRel; e++) {
        visible[e] = active[e];
        if (!active[e]) continue;
        degree[R.source[e]]++; degree[R.target[e]]++;
        baseColor[e] = SIGNS[String(R.sign[e])].color;
        if (smooth[e] !== shown.edgeSmooth[e]) {
          shown.edgeSmooth[e] = smooth[e];
          edgeUpdate(e).smooth = smoothOption(smooth[e]);
        }
      }
    }

    // Neighbourhood highlight over the visible edges.
    var focus = state.highlight;
    var near = null;
    if (focus !== null) {
      near = new Uint8Array(nNodes);
      near[focus] = 1;
      for (var q = 0; q < edgeItems.length; q++) {
        if (!visible[q]) continue;
        var from = aggregate ? pairs[q].lo : R.source[q];
        var to = aggregate ? pairs[q].hi : R.target[q];
        if (from === focus) near[to] = 1;
        if (to === focus) near[from] = 1;
      }
    }

    for (var x = 0; x < edgeItems.length; x++) {
      var hidden = visible[x] ? 0 : 1;
      if (hidden !== shown.edgeHidden[x]) {
        shown.edgeHidden[x] = hidden;
        edgeUpdate(x).hidden = !!hidden;
      }
      if (hidden) continue;
      var dim = 0;
      if (near !== null) {
        var a = aggregate ? pairs[x].lo : R.source[x];
        var b = aggregate ? pairs[x].hi : R.target[x];
        dim = (a === focus || b === focus) ? 0 : 1;
      }
      if (dim !== shown.edgeDim[x]) {
        shown.edgeDim[x] = dim;
        edgeUpdate(x).color = edgeColor(dim ? DIM : baseColor[x]);
      }
    }

    var nodeUpdates = [];
    var visibleNodes = 0;
    for (var v = 0; v < nNodes; v++) {
      var nodeHidden = state.hideIsolated && degree[v] === 0 && v !== focus ? 1 : 0;
      var nodeDim = near !== null && !near[v] ? 1 : 0;
      if (!nodeHidden) visibleNodes++;
      if (nodeHidden !== shown.nodeHidden[v] || nodeDim !== shown.nodeDim[v]) {
        var u = { id: v };
        if (nodeHidden !== shown.nodeHidden[v]) u.hidden = !!nodeHidden;
        if (nodeDim !== shown.nodeDim[v]) { u.color = nodeColor(v, nodeDim); u.font = nodeFont(nodeDim); }
        shown.nodeHidden[v] = nodeHidden;
        shown.nodeDim[v] = nodeDim;
        nodeUpdates.push(u);
      }
    }
    current.visibleNodes = visibleNodes;
    updateLegendCounts(degree);
    if (edgeUpdates.size) edges.update(Array.from(edgeUpdates.values()));
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    updateStatus();
  }

  // ---------------------------------------------------------------------- network

  var container = $('gk-network');
  var fixedLayout = data.layout === 'fixed';
  var options = {
    autoResize: true,
    nodes: {
      borderWidth: 1,
      font: { size: 14, face: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif',
              color: '#222222', strokeWidth: 3, strokeColor: '#ffffff' }
    },
    edges: {
      smooth: false,
      selectionWidth: 2,
      hoverWidth: 1,
      arrowStrikethrough: false,
      font: { size: 12, align: 'middle', strokeWidth: 3, strokeColor: '#ffffff' }
    },
    interaction: {
      hover: true,
      tooltipDelay: 120,
      hideEdgesOnDrag: big,
      hideEdgesOnZoom: big,
      navigationButtons: false,
      keyboard: false,
      multiselect: false
    },
    layout: { randomSeed: data.seed, improvedLayout: nNodes <= 150 && !fixedLayout },
    physics: fixedLayout ? false : data.physics
  };

  apply();
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);

  function markReady() {
    if (readiness.ready) return;
    readiness.ready = true;
    readiness.readyAt = performance.now();
    document.documentElement.setAttribute('data-graphkit-ready', '1');
    updateStatus();
    document.dispatchEvent(new CustomEvent('graphkit:ready'));
  }

  var MIN_LABEL_PX = 12;
  function fitWithLabels() {
    // fit() bounds the nodes, not their labels: leave a margin so edge labels show whole;
    // then labels are made readable and entities moved from under other labels (twice:
    // the moves can change the fitted scale, hence the font size)
    for (var round = 0; round < 2; round++) {
      network.fit({ animation: false });
      network.moveTo({ scale: network.getScale() * 0.9, animation: false });
      readableLabels();
      network.redraw();  // measures the labels at their new size
      if (!separateLabels()) break;
      network.redraw();
    }
  }

  // Entities out from under other entities' labels and labels off each other. Each entity
  // occupies one box, its node (with a margin) and its label together; two boxes that
  // overlap are moved apart along the shortest way out, a few passes over all pairs, once,
  // before the page is ready (the same positions and labels give the same moves). One box
  // per entity, not a node box and a label box moved by separate rules: those rules can
  // undo each other (a long label pushed under a node by one and over the node's own
  // label by the other, for ever). Skipped above 400 entities, where labels cannot all
  // show anyway.
  var LABEL_PAD = 3;
  function separateLabels() {
    if (nNodes > 400) return false;
    var pos = network.getPositions(), P = [], off = [];
    for (var i = 0; i < nNodes; i++) {
      var L = network.body.nodes[i].labelModule.size;
      P.push({ x: pos[i].x, y: pos[i].y });
      off.push(L && L.width ? { dx: L.left - pos[i].x, dy: L.top - pos[i].y,
                                w: L.width, h: L.height } : null);
    }
    function box(i) {  // [left, top, right, bottom] of entity i's node and label
      var r = E.size[i] + LABEL_PAD, x = P[i].x, y = P[i].y, o = off[i];
      if (!o) return [x - r, y - r, x + r, y + r];
      return [Math.min(x - r, x + o.dx), Math.min(y - r, y + o.dy),
              Math.max(x + r, x + o.dx + o.w), Math.max(y + r, y + o.dy + o.h)];
    }
    var moved = false;
    for (var pass = 0; pass < 200; pass++) {
      var any = false;
      for (var a = 0; a < nNodes; a++) {
        for (var b = a + 1; b < nNodes; b++) {
          var A = box(a), B = box(b);
          // how far a must move right, left, down or up to clear b
          var gaps = [B[2] - A[0], A[2] - B[0], B[3] - A[1], A[3] - B[1]];
          var least = Math.min.apply(null, gaps);
          if (least <= 0) continue;  // no overlap
          var k = gaps.indexOf(least), m = least / 2 + 0.5;
          if (k === 0) { P[a].x += m; P[b].x -= m; }
          else if (k === 1) { P[a].x -= m; P[b].x += m; }
          else if (k === 2) { P[a].y += m; P[b].y -= m; }
          else { P[a].y -= m; P[b].y += m; }
          any = true;
        }
      }
      if (!any) break;
      moved = true;
    }
    if (moved) for (var n = 0; n < nNodes; n++) network.moveNode(n, P[n].x, P[n].y);
    return moved;
  }
  // Labels at least MIN_LABEL_PX on screen at the fitted zoom: the font grows in canvas
  // units as the fitted scale shrinks (zooming in later only makes them larger).
  function readableLabels() {
    var scale = network.getScale();
    var size = Math.max(14, Math.ceil(MIN_LABEL_PX / scale));
    var edgeSize = Math.max(12, Math.ceil(MIN_LABEL_PX / scale));
    network.setOptions({ nodes: { font: { size: size } }, edges: { font: { size: edgeSize } } });
    document.documentElement.setAttribute('data-graphkit-label-px',
                                          String(Math.round(size * scale * 10) / 10));
  }

  if (fixedLayout) {
    network.once('afterDrawing', markReady);
    fitWithLabels();
    setTimeout(markReady, 0);
  } else {
    network.on('stabilizationProgress', function (params) {
      var done = Math.round(100 * params.iterations / Math.max(params.total, 1));
      $('gk-status').textContent = 'laying out\u2026 ' + done + '%';
    });
    network.once('stabilizationIterationsDone', function () {
      // Freeze the layout: from now on only visibility changes, never positions.
      network.setOptions({ physics: { enabled: false } });
      fitWithLabels();
      markReady();
    });
  }

  // ------------------------------------------------------------------ time controls

  var slider = $('gk-slider'), dateInput = $('gk-date');
  var fromSlider = $('gk-from'), toSlider = $('gk-to');
  var fromDate = $('gk-from-date'), toDate = $('gk-to-date');
  var TICKS = 5;
  // The thumb's width (network.css sets it): a thumb centre runs from THUMB / 2 to
  // width - THUMB / 2 of its slider, and the tick labels sit where it does.
  var THUMB = parseFloat(getComputedStyle(document.documentElement)
    .getPropertyValue('--gk-thumb')) || 14;
  function tickValues(input) {
    var lo = parseInt(input.min, 10), hi = parseInt(input.max, 10), out = [];
    for (var t = 0; t < TICKS; t++) out.push(Math.round(lo + (hi - lo) * t / (TICKS - 1)));
    return out;
  }
  // Labels under each visible slider, each centred where the slider's thumb is centred
  // when set to the date it names (the slider's own min, max, width and thumb).
  function placeTicks() {
    [slider, fromSlider, toSlider].forEach(function (input) {
      var set = input.parentNode.querySelector('.gk-tick-set');
      clear(set);
      if (!input.offsetWidth) return;  // hidden with its mode's controls
      var box = input.getBoundingClientRect(), origin = set.getBoundingClientRect().left;
      var lo = parseInt(input.min, 10), hi = parseInt(input.max, 10);
      tickValues(input).forEach(function (day) {
        var label = el('span', isoDay(day), 'gk-tick');
        label.setAttribute('data-value', String(day));
        var f = hi > lo ? (day - lo) / (hi - lo) : 0;
        label.style.left = (box.left - origin + THUMB / 2 + f * (box.width - THUMB)) + 'px';
        set.appendChild(label);
      });
    });
  }
  function setSliderBounds() {
    [slider, fromSlider].forEach(function (s) {
      s.min = String(lowDay); s.max = String(highDay); s.step = '1';
    });
    toSlider.min = String(lowDay + 1); toSlider.max = String(highDay + 1); toSlider.step = '1';
    [dateInput, fromDate].forEach(function (d) { d.min = isoDay(fullLow); d.max = isoDay(fullHigh); });
    toDate.min = isoDay(fullLow + 1); toDate.max = isoDay(fullHigh + 1);
    // the ticks' values (datalists: the sliders' own lists of marked values); their
    // labels are placed under the sliders by placeTicks
    [['gk-tick-list', slider], ['gk-tick-list-to', toSlider]].forEach(function (pair) {
      var list = $(pair[0]);
      clear(list);
      tickValues(pair[1]).forEach(function (day) {
        var option = el('option'); option.value = String(day); list.appendChild(option);
      });
    });
    var wide = lowDay === fullLow && highDay === fullHigh;
    $('gk-widen').hidden = spanLow === fullLow && spanHigh === fullHigh;
    $('gk-widen').textContent = wide ? 'compared span' : 'full span';
    $('gk-widen').title = wide ? 'slider back to ' + isoDay(spanLow) + ' – ' + isoDay(spanHigh)
      : 'slider over every date: ' + isoDay(fullLow) + ' – ' + isoDay(fullHigh);
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  setSliderBounds();
  $('gk-widen').addEventListener('click', function () {
    var wide = lowDay === fullLow && highDay === fullHigh;
    lowDay = wide ? spanLow : fullLow;
    highDay = wide ? spanHigh : fullHigh;
    setSliderBounds();
    syncControls();
  });

  function syncControls() {
    $('gk-mode').value = state.mode;
    $('gk-asof-controls').hidden = state.mode !== 'asof';
    $('gk-range-controls').hidden = state.mode !== 'range';
    slider.value = String(state.at); dateInput.value = isoDay(state.at);
    fromSlider.value = String(state.from); fromDate.value = isoDay(state.from);
    toSlider.value = String(state.to); toDate.value = isoDay(state.to);
    placeTicks();
  }
  window.addEventListener('resize', placeTicks);

  var pending = false;
  function schedule() {
    syncControls();
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; apply(); });
  }

  function setAt(day) { state.at = day; schedule(); }
  function setRange(a, b) {
    if (b <= a) b = a + 1;
    state.from = a; state.to = b; schedule();
  }

  $('gk-mode').addEventListener('change', function () { state.mode = this.value; stop(); schedule(); });
  slider.addEventListener('input', function () { setAt(parseInt(this.value, 10)); });
  dateInput.addEventListener('change', function () {
    var d = parseDay(this.value); if (d !== null) setAt(d);
  });
  fromSlider.addEventListener('input', function () {
    var a = parseInt(this.value, 10);
    setRange(a, Math.max(state.to, a + 1));
  });
  toSlider.addEventListener('input', function () {
    var b = parseInt(this.value, 10);
    setRange(Math.min(state.from, b - 1), b);
  });
  fromDate.addEventListener('change', function () {
    var a = parseDay(this.value); if (a !== null) setRange(a, Math.max(state.to, a + 1));
  });
  toDate.addEventListener('change', function () {
    var b = parseDay(this.value); if (b !== null) setRange(Math.min(state.from, b - 1), b);
  });

  function addMonths(day, months) {
    var d = new Date(day * DAY);
    var target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
    var last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
    target.setUTCDate(Math.min(d.getUTCDate(), last));
    return Math.round(target.getTime() / DAY);
  }

  function advance(day, unit, dir) {
    if (unit === 'day') return day + dir;
    if (unit === 'week') return day + 7 * dir;
    if (unit === 'month') return addMonths(day, dir);
    if (unit === 'year') return addMonths(day, 12 * dir);
    var lo = 0, hi = changePoints.length;   // unit 'change': next or previous change
    if (dir > 0) {
      while (lo < hi) { var m = (lo + hi) >> 1; if (changePoints[m] <= day) lo = m + 1; else hi = m; }
      return lo < changePoints.length ? changePoints[lo] : day;
    }
    while (lo < hi) { var m2 = (lo + hi) >> 1; if (changePoints[m2] < day) lo = m2 + 1; else hi = m2; }
    return lo > 0 ? changePoints[lo - 1] : day;
  }

  function step(dir) {
    var unit = $('gk-unit').value;
    if (state.mode === 'all') {
      state.mode = 'asof';
      state.at = dir > 0 ? lowDay : highDay;
      schedule();
      return true;
    }
    if (state.mode === 'asof') {
      var next = Math.min(Math.max(advance(state.at, unit, dir), lowDay), highDay);
      if (next === state.at) return false;
      setAt(next);
      return true;
    }
    var shifted = Math.min(Math.max(advance(state.from, unit, dir), lowDay), highDay);
    if (shifted === state.from) return false;
    setRange(shifted, state.to + (shifted - state.from));
    return true;
  }

  function stop() {
    if (state.timer !== null) { clearInterval(state.timer); state.timer = null; }
    $('gk-play').textContent = 'play';
  }

  $('gk-back').addEventListener('click', function () { stop(); step(-1); });
  $('gk-forward').addEventListener('click', function () { stop(); step(1); });
  $('gk-play').addEventListener('click', function () {
    if (state.timer !== null) { stop(); return; }
    $('gk-play').textContent = 'pause';
    state.timer = setInterval(function () { if (!step(1)) stop(); }, 700);
  });

  // ------------------------------------------------------------------------ legend

  function legendItem(parent, glyph, text, count) {
    var row = el('label', null, 'gk-legend-item');
    parent.appendChild(row);
    row.appendChild(glyph);
    row.appendChild(el('span', text));
    if (count !== undefined) {
      var c = el('span', '(' + count + ' / ' + count + ')', 'gk-count');
      c.title = 'shown / total';
      row.appendChild(c);
    }
    return row;
  }

  // "shown / total" per relation type (relations drawn now) and per entity type
  // (entities with a relation drawn now)
  var typeCountCells = [], entityCountCells = [];
  function updateLegendCounts(degree) {
    if (!typeCountCells || !typeCountCells.length) return;  // legend not built yet
    var byType = new Array(relTypes.length).fill(0);
    for (var j = 0; j < nRel; j++) if (current.active[j]) byType[R.type[j]]++;
    relTypes.forEach(function (t, index) {
      typeCountCells[index].textContent = '(' + byType[index] + ' / ' + t.count + ')';
    });
    var byEntityType = new Array(entTypes.length).fill(0);
    for (var v = 0; v < nNodes; v++) if (degree[v] > 0) byEntityType[E.type[v]]++;
    entTypes.forEach(function (t, index) {
      entityCountCells[index].textContent = '(' + byEntityType[index] + ' / ' + t.count + ')';
    });
  }

  function swatch(sign) {
    var s = el('span', null, 'gk-swatch');
    s.style.borderTopStyle = SIGNS[String(sign)].css;
    s.style.borderTopColor = SIGNS[String(sign)].color;
    return s;
  }

  var typeBoxes = [];
  relTypes.forEach(function (t, index) {
    var box = el('input');
    box.type = 'checkbox';
    box.checked = true;
    box.addEventListener('change', function () { state.types[index] = box.checked; schedule(); });
    var row = legendItem($('gk-types'), box, t.name, t.count);
    typeCountCells.push(row.lastChild);
    row.insertBefore(swatch(t.sign), row.children[1]);
    if (t.description) row.title = t.description;
    typeBoxes.push(box);
  });
  function setAllTypes(on) {
    typeBoxes.forEach(function (box, index) { box.checked = on; state.types[index] = on; });
    schedule();
  }
  $('gk-types-all').addEventListener('click', function () { setAllTypes(true); });
  $('gk-types-none').addEventListener('click', function () { setAllTypes(false); });

  ['1', '0', '-1'].forEach(function (s) {
    legendItem($('gk-signs'), swatch(s), SIGNS[s].label + (aggregate ? ' (sign of the net weight)' : ''));
  });
  var GLYPHS = { dot: '\u25cf', square: '\u25a0', triangle: '\u25b2', diamond: '\u25c6',
                 hexagon: '\u2b22', star: '\u2605', triangleDown: '\u25bc', ellipse: '\u2b2c',
                 box: '\u25ac' };
  entTypes.forEach(function (t) {
    var g = el('span', GLYPHS[t.shape] || '\u25cf', 'gk-glyph');
    g.style.color = t.color;
    entityCountCells.push(legendItem($('gk-entity-types'), g, t.name, t.count).lastChild);
  });
  apply();  // fill the counts

  // ----------------------------------------------------------------------- details

  var details = $('gk-details');
  function definitionList(rows) {
    var dl = el('dl');
    rows.forEach(function (r) {
      if (r[1] === '' || r[1] === null || r[1] === undefined) return;
      dl.appendChild(el('dt', r[0]));
      dl.appendChild(el('dd', r[1]));
    });
    return dl;
  }

  function extrasRows(block, index) {
    if (!block) return [];
    var rows = [];
    for (var c = 0; c < block.names.length; c++) {
      var value = block.values[c][index];
      if (value !== null && value !== '') rows.push([block.names[c], value]);
    }
    return rows;
  }

  function relationLink(list, j) {
    var li = el('li');
    var b = el('button', relTypes[R.type[j]].name + ' \u00b7 ' + relationDates(j) + ' \u00b7 ' +
      relationHeading(j));
    b.type = 'button';
    b.addEventListener('click', function () {
      showRelation(j);
      if (!aggregate) network.selectEdges([j]);
    });
    li.appendChild(b);
    list.appendChild(li);
  }

  function showEntity(i) {
    clear(details);
    $('gk-side').scrollTop = 0;
    details.appendChild(el('h3', E.name[i]));
    details.appendChild(definitionList([
      ['id', E.id[i]], ['type', entTypes[E.type[i]].name], ['aliases', E.aliases[i].join('; ')]
    ].concat(extrasRows(E.extras, i))));
    var rels = [];
    for (var j = 0; j < nRel; j++) {
      if (current.active[j] && (R.source[j] === i || R.target[j] === i)) rels.push(j);
    }
    details.appendChild(el('p', rels.length + ' relation' + (rels.length === 1 ? '' : 's') +
      ' shown now', 'gk-hint'));
    var list = el('ul');
    rels.slice(0, 200).forEach(function (j) { relationLink(list, j); });
    details.appendChild(list);
  }

  function showRelation(j) {
    clear(details);
    $('gk-side').scrollTop = 0;
    details.appendChild(el('h3', relationHeading(j)));
    var t = relTypes[R.type[j]];
    details.appendChild(definitionList([
      ['type', t.name], ['sign', SIGNS[String(R.sign[j])].label],
      ['dates', relationDates(j)], ['weight', fmt(R.weight[j])],
      ['confidence', fmt(R.confidence[j])],
      ['quad class', R.quadClass[j] + ' (' + QUADS[R.quadClass[j]] + ')'],
      ['directed', R.directed[j] ? 'yes' : 'no'],
      ['evidence', R.evidence[j]], ['source_ref', R.sourceRef[j]], ['relation id', String(R.id[j])]
    ].concat(extrasRows(R.extras, j))));
  }

  function showPair(p) {
    clear(details);
    $('gk-side').scrollTop = 0;
    var pair = pairs[p];
    details.appendChild(el('h3', E.name[pair.lo] + ' \u2014 ' + E.name[pair.hi]));
    var rels = pair.rels.filter(function (j) { return current.active[j]; });
    var net = rels.reduce(function (s, j) { return s + relSigned[j]; }, 0);
    details.appendChild(el('p', rels.length + ' relation' + (rels.length === 1 ? '' : 's') +
      ' shown now, net weight ' + fmt(net), 'gk-hint'));
    var list = el('ul');
    rels.slice(0, 200).forEach(function (j) { relationLink(list, j); });
    details.appendChild(list);
  }

  network.on('click', function (params) {
    if (params.nodes.length) showEntity(params.nodes[0]);
    else if (params.edges.length) {
      if (aggregate) showPair(params.edges[0]); else showRelation(params.edges[0]);
    }
  });
  network.on('doubleClick', function (params) {
    if (params.nodes.length) highlight(params.nodes[0]);
  });

  // ------------------------------------------------------------------------ search

  var names = [];
  (function () {
    var seen = new Set();
    function add(text) {
      if (text && !seen.has(text)) { seen.add(text); names.push(text); }
    }
    for (var i = 0; i < nNodes; i++) {
      add(E.name[i]);
      E.aliases[i].forEach(add);
    }
    names.sort();
    var list = $('gk-names');
    names.slice(0, 5000).forEach(function (n) {
      var option = el('option');
      option.value = n;
      list.appendChild(option);
    });
  })();

  function findEntities(query) {
    var q = query.trim().toLowerCase();
    if (!q) return [];
    var exact = [], partial = [];
    for (var i = 0; i < nNodes; i++) {
      var keys = [E.id[i], E.name[i]].concat(E.aliases[i]).map(function (s) { return s.toLowerCase(); });
      if (keys.indexOf(q) >= 0) exact.push(i);
      else if (keys.some(function (s) { return s.indexOf(q) >= 0; })) partial.push(i);
    }
    return exact.concat(partial);
  }

  function highlight(i) {
    state.highlight = i;
    apply();
    network.selectNodes([i]);
    network.focus(i, { scale: Math.max(network.getScale(), 0.8), animation: false });
    showEntity(i);
  }

  function search() {
    var found = findEntities($('gk-search').value);
    if (!found.length) {
      $('gk-status').textContent = 'no entity matches';
      return;
    }
    highlight(found[0]);
    if (found.length > 1) {
      details.appendChild(el('p', found.length + ' matches:', 'gk-hint'));
      var list = el('ul');
      found.slice(0, 50).forEach(function (i) {
        var li = el('li');
        var b = el('button', E.name[i] + ' (' + E.id[i] + ')');
        b.type = 'button';
        b.addEventListener('click', function () { highlight(i); });
        li.appendChild(b);
        list.appendChild(li);
      });
      details.appendChild(list);
    }
  }

  $('gk-find').addEventListener('click', search);
  $('gk-search').addEventListener('keydown', function (event) {
    if (event.key === 'Enter') { event.preventDefault(); search(); }
  });
  $('gk-clear').addEventListener('click', function () {
    $('gk-search').value = '';
    state.highlight = null;
    network.unselectAll();
    apply();
  });
  $('gk-isolated').checked = state.hideIsolated;
  $('gk-isolated').addEventListener('change', function () {
    state.hideIsolated = this.checked; schedule();
  });

  // ------------------------------------------------------------------------ export

  function exportPng() {
    var source = container.querySelector('canvas');
    var canvas = document.createElement('canvas');
    canvas.width = source.width;
    canvas.height = source.height;
    var ctx = canvas.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(source, 0, 0);
    canvas.toBlob(function (blob) {
      var url = URL.createObjectURL(blob);
      var link = el('a');
      link.href = url;
      link.download = 'graphkit-network.png';
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    }, 'image/png');
  }
  $('gk-export').addEventListener('click', exportPng);

  // ------------------------------------------------------------------------ status

  function updateStatus() {
    var when = state.mode === 'asof' ? 'as of ' + isoDay(state.at)
      : state.mode === 'range' ? isoDay(state.from) + ' to ' + isoDay(state.to) + ' (exclusive)'
        : 'all dates';
    var text = current.visibleNodes + ' entities, ' + current.activeCount + ' relations, ' + when;
    if (!readiness.ready && !fixedLayout) text += ' (laying out\u2026)';
    $('gk-status').textContent = text;
  }

  $('gk-title').textContent = data.title;
  document.title = data.title + ' \u00b7 graphkit';
  $('gk-subtitle').textContent = nNodes + ' entities, ' + nRel + ' relations' +
    (nRel ? ', ' + isoDay(lowDay) + ' to ' + isoDay(highDay) : '');
  syncControls();
  updateStatus();

  // ------------------------------------------------------- read-only hook for tests

  function entityIds(list) { return list.map(function (i) { return E.id[i]; }); }
  var hook = {
    get ready() { return readiness.ready; },
    get readyAt() { return readiness.readyAt; },
    layout: data.layout,
    nodeCount: function () { return nodes.length; },
    edgeCount: function () { return edges.length; },
    relationCount: function () { return nRel; },
    visibleNodeIds: function () {
      return entityIds(nodes.getIds({ filter: function (n) { return !n.hidden; } }));
    },
    visibleEdgeIds: function () {
      var ids = edges.getIds({ filter: function (e) { return !e.hidden; } });
      if (!aggregate) return ids.map(function (j) { return R.id[j]; });
      return ids.map(function (p) { return [E.id[pairs[p].lo], E.id[pairs[p].hi]]; });
    },
    visibleRelationIds: function () {
      var out = [];
      for (var j = 0; j < nRel; j++) if (current.active[j]) out.push(R.id[j]);
      return out;
    },
    positions: function () {
      var pos = network.getPositions();
      var out = {};
      for (var i = 0; i < nNodes; i++) out[E.id[i]] = [pos[i].x, pos[i].y];
      return out;
    },
    canvasPosition: function (entityId) {
      var i = E.id.indexOf(entityId);
      var p = network.getPositions([i])[i];
      var c = network.canvasToDOM(p);
      var box = container.getBoundingClientRect();
      return [c.x + box.left, c.y + box.top];
    },
    edgeMidpoint: function (relationIndex) {
      var mid = network.getPositions([R.source[relationIndex], R.target[relationIndex]]);
      var a = mid[R.source[relationIndex]], b = mid[R.target[relationIndex]];
      var c = network.canvasToDOM({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
      var box = container.getBoundingClientRect();
      return [c.x + box.left, c.y + box.top];
    },
    state: function () {
      return { mode: state.mode, at: isoDay(state.at), from: isoDay(state.from),
               to: isoDay(state.to), highlight: state.highlight === null ? null : E.id[state.highlight] };
    },
    edgeStyle: function (id) {
      var e = edges.get(id);
      return e ? JSON.parse(JSON.stringify({ hidden: !!e.hidden, smooth: e.smooth,
        dashes: e.dashes, color: e.color, arrows: e.arrows, label: e.label })) : null;
    },
    labelPx: function () {  // on-screen size of the entity labels' font
      return network.getScale() * network.body.nodes[0].options.font.size;
    },
    labelOverlaps: function () {  // [label, entity] pairs: a label drawn over another entity
      var pos = network.getPositions(), out = [];
      for (var a = 0; a < nNodes; a++) {
        var label = network.body.nodes[a].labelModule.size;
        if (shown.nodeHidden[a] || !label.width) continue;
        for (var b = 0; b < nNodes; b++) {
          if (a === b || shown.nodeHidden[b]) continue;
          var r = E.size[b], x = pos[b].x, y = pos[b].y;
          if (label.left < x + r && label.left + label.width > x - r &&
              label.top < y + r && label.top + label.height > y - r) out.push([E.id[a], E.id[b]]);
        }
      }
      return out;
    },
    labelCollisions: function () {  // [entity, entity] pairs whose shown labels overlap
      var out = [];
      for (var a = 0; a < nNodes; a++) {
        var p = network.body.nodes[a].labelModule.size;
        if (shown.nodeHidden[a] || !p.width) continue;
        for (var b = a + 1; b < nNodes; b++) {
          var q = network.body.nodes[b].labelModule.size;
          if (shown.nodeHidden[b] || !q.width) continue;
          if (p.left < q.left + q.width && q.left < p.left + p.width &&
              p.top < q.top + q.height && q.top < p.top + p.height) out.push([E.id[a], E.id[b]]);
        }
      }
      return out;
    },
    legendCounts: function () {
      return typeCountCells.map(function (c) { return c.textContent; });
    },
    showRelation: function (j) { showRelation(j); },
    showEntity: function (i) { showEntity(i); }
  };
  Object.defineProperty(window, 'graphkitView', { value: Object.freeze(hook), writable: false,
                                                  configurable: false });
})();
