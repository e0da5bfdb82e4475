// RaftBalancer dashboard: polls this node's /-/dashboard.json once a second and renders it. No dependencies.
(function () {
  'use strict';
  var query = window.location.search || '';
  var $ = function (id) { return document.getElementById(id); };

  function text(value) { return value === null || value === undefined ? '–' : String(value); }

  function cell(row, value, className) {
    var td = document.createElement('td');
    td.textContent = text(value);
    if (className) { td.className = className; }
    row.appendChild(td);
    return td;
  }

  function spark(values) {
    var width = 120, height = 24;
    var svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('class', 'spark');
    svg.setAttribute('width', width);
    svg.setAttribute('height', height);
    if (!values || values.length < 2) { return svg; }
    var max = Math.max.apply(null, values.concat([1]));
    var step = width / (values.length - 1);
    var points = values.map(function (v, i) {
      return (i * step).toFixed(1) + ',' + (height - 1 - (v / max) * (height - 2)).toFixed(1);
    }).join(' ');
    var line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
    line.setAttribute('points', points);
    svg.appendChild(line);
    return svg;
  }

  function renderMembers(model) {
    var body = $('members').tBodies[0];
    body.textContent = '';
    model.members.forEach(function (m) {
      var row = document.createElement('tr');
      row.setAttribute('data-member', m.id);
      row.setAttribute('data-role', m.role);
      if (m.role === 'leader') { row.className = 'leader'; }
      cell(row, m.id);
      cell(row, m.role, 'role');
      cell(row, m.term);
      cell(row, m.commitIndex);
      cell(row, m.appliedIndex);
      cell(row, m.lastContactSeconds === null ? null : m.lastContactSeconds + ' s ago');
      cell(row, m.stale ? 'yes' : 'no');
      body.appendChild(row);
    });
  }

  function renderBackends(model) {
    var body = $('backends').tBodies[0];
    body.textContent = '';
    model.backends.forEach(function (b) {
      var row = document.createElement('tr');
      row.setAttribute('data-backend', b.id);
      row.setAttribute('data-health', b.routable ? 'healthy' : 'unhealthy');
      row.setAttribute('data-reason', b.reason);
      cell(row, b.id).title = b.url;
      cell(row, b.weight);
      cell(row, b.draining ? 'draining' : '');
      cell(row, (b.routable ? 'routable' : 'out') + ' (' + b.reason + ')', 'verdict');
      var opinions = cell(row, '');
      Object.keys(b.opinions).sort().forEach(function (node) {
        var span = document.createElement('span');
        span.className = 'op ' + b.opinions[node];
        span.textContent = node + ': ' + b.opinions[node];
        opinions.appendChild(span);
      });
      cell(row, b.breaker, 'breaker');
      cell(row, b.localActive + ' / ' + b.clusterActive);
      cell(row, b.requestsPerSecond + ' / ' + b.clusterRequestsPerSecond);
      cell(row, '').appendChild(spark(b.history));
      body.appendChild(row);
    });
  }

  function renderEvents(model) {
    var list = $('events');
    list.textContent = '';
    model.events.forEach(function (e) {
      var item = document.createElement('li');
      item.textContent = new Date(e.time).toLocaleTimeString() + '  [' + e.kind + ']  ' + e.text;
      list.appendChild(item);
    });
  }

  function render(model) {
    $('node').textContent = model.nodeId;
    $('leader').textContent = text(model.leaderId);
    $('term').textContent = model.term;
    $('view').textContent = model.viewVersion;
    $('policy').textContent = model.policy;
    renderMembers(model);
    renderBackends(model);
    renderEvents(model);
    $('status').textContent = 'updated ' + new Date(model.time).toLocaleTimeString();
  }

  function poll() {
    fetch('/-/dashboard.json' + query, { cache: 'no-store' })
      .then(function (r) { if (!r.ok) { throw new Error('HTTP ' + r.status); } return r.json(); })
      .then(render)
      .catch(function (e) { $('status').textContent = 'cannot reach the node: ' + e.message; })
      .then(function () { window.setTimeout(poll, 1000); });
  }

  poll();
}());
