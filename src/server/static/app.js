// A little plain script: drag and drop into the file inputs, upload progress, live check progress.
(function () {
  'use strict';
  function sizeText(n) {
    if (n < 1024) return n + ' 字节';
    if (n < 1048576) return (n / 1024).toFixed(1) + ' 千字节';
    return (n / 1048576).toFixed(1) + ' 兆字节';
  }
  function listFiles(drop) {
    var input = drop.querySelector('[data-files]');
    var list = drop.querySelector('[data-chosen]') || drop.parentNode.querySelector('[data-chosen]');
    if (!input || !list) return;
    list.textContent = '';
    Array.prototype.forEach.call(input.files, function (f) {
      var li = document.createElement('li');
      li.textContent = f.name + '（' + sizeText(f.size) + '）';
      list.appendChild(li);
    });
  }
  document.querySelectorAll('[data-drop]').forEach(function (drop) {
    var input = drop.querySelector('[data-files]');
    input.addEventListener('change', function () { listFiles(drop); });
    ['dragenter', 'dragover'].forEach(function (t) {
      drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add('over'); });
    });
    ['dragleave', 'drop'].forEach(function (t) {
      drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.remove('over'); });
    });
    drop.addEventListener('drop', function (e) {
      if (!e.dataTransfer || !e.dataTransfer.files.length) return;
      var dt = new DataTransfer();
      Array.prototype.forEach.call(input.files, function (f) { dt.items.add(f); });
      Array.prototype.forEach.call(e.dataTransfer.files, function (f) { dt.items.add(f); });
      input.files = dt.files;
      listFiles(drop);
    });
  });
  // upload with a progress bar; the server answers with the next page (or the form with a message)
  document.querySelectorAll('form[data-upload]').forEach(function (form) {
    form.addEventListener('submit', function (e) {
      if (!window.XMLHttpRequest || !window.FormData) return;
      e.preventDefault();
      var box = form.querySelector('[data-upload-progress]');
      var bar = box && box.querySelector('.bar span');
      var label = box && box.querySelector('.label');
      if (box) box.classList.remove('hidden');
      var button = form.querySelector('button[type=submit]');
      if (button) button.disabled = true;
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.getAttribute('action'));
      xhr.upload.onprogress = function (ev) {
        if (!ev.lengthComputable || !bar) return;
        var pct = Math.round((ev.loaded / ev.total) * 100);
        bar.style.width = pct + '%';
        if (label) label.textContent = pct < 100 ? '正在上传 ' + pct + '%' : '上传完成，正在识别表格…';
      };
      xhr.onload = function () {
        if (xhr.status < 400 && xhr.responseURL) { window.location.href = xhr.responseURL; return; }
        document.open();
        document.write(xhr.responseText);
        document.close();
      };
      xhr.onerror = function () {
        if (label) label.textContent = '上传失败，请检查网络后重试。';
        if (button) button.disabled = false;
      };
      xhr.send(new FormData(form));
    });
  });
  // live progress of a queued or running check (server-sent events)
  var box = document.querySelector('[data-progress]');
  if (box && window.EventSource) {
    var id = box.getAttribute('data-run');
    var status = box.querySelector('[data-status]');
    var bar = box.querySelector('[data-bar]');
    var detail = box.querySelector('[data-detail]');
    var es = new EventSource('/runs/' + id + '/events');
    es.onmessage = function (m) {
      var s = JSON.parse(m.data);
      if (s.status === 'queued') {
        status.textContent = s.position ? '排队中：您排在第 ' + s.position + ' 位，前面的检查完成后自动开始。' : '排队中…';
      } else if (s.status === 'running' && s.progress) {
        var p = s.progress;
        status.textContent = p.stage + '…';
        bar.style.width = (p.filesTotal ? Math.round((p.filesDone / p.filesTotal) * 100) : 0) + '%';
        detail.textContent = (p.file && p.filesDone < p.filesTotal ? '正在读取“' + p.file + '”，' : '') + '已读完 ' + p.filesDone + '/' + p.filesTotal + ' 个文件，共 ' + p.rowsRead + ' 行';
      } else if (s.status === 'running') {
        status.textContent = '开始检查…';
      } else if (s.status === 'done' || s.status === 'failed') {
        es.close();
        status.textContent = s.status === 'done' ? '完成，正在打开结果…' : '检查失败';
        window.location.reload();
      }
    };
    es.onerror = function () { es.close(); setTimeout(function () { window.location.reload(); }, 3000); };
  }
})();
