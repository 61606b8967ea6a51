/* graphkit chart: reads the plotly figure from escaped JSON and draws it. */
(function () {
  'use strict';
  var figure = JSON.parse(document.getElementById('graphkit-figure').textContent);
  var meta = JSON.parse(document.getElementById('graphkit-meta').textContent);
  document.title = meta.title + ' \u00b7 graphkit';
  var readiness = { ready: false };
  var div = document.getElementById('graphkit-chart');
  Plotly.newPlot(div, figure.data, figure.layout, meta.config).then(function () {
    readiness.ready = true;
    document.documentElement.setAttribute('data-graphkit-ready', '1');
  });
  Object.defineProperty(window, 'graphkitChart', {
    value: Object.freeze({
      get ready() { return readiness.ready; },
      traceCount: function () { return div.data ? div.data.length : 0; }
    }),
    writable: false,
    configurable: false
  });
})();
