'use strict';
// Web page of the segmentation service: one image, many sentences, masks drawn over the image.
(() => {
  const MASK_RGB = [255, 212, 0];
  const $ = id => document.getElementById(id);
  const canvas = $('canvas'), ctx = canvas.getContext('2d', { willReadFrequently: true });
  const state = { file: null, image: null, history: [], active: -1 };

  fetch('api/model').then(r => r.ok ? r.json() : null).then(m => {
    if (m) $('model-info').textContent = `${m.name} · ${m.parameterCount.toLocaleString()} parameters · trained on ${m.trainedOn}`;
  }).catch(() => {});

  function showError(message) {
    $('error').textContent = message;
    $('error').hidden = !message;
  }

  async function loadFile(file) {
    if (!file) return;
    showError('');
    try {
      const bitmap = await createImageBitmap(file);
      state.image = bitmap;
    } catch (e) {
      // TIFF is not decoded by most browsers: show a grey placeholder of the mask's size once it arrives.
      state.image = null;
    }
    state.file = file;
    state.history = [];
    state.active = -1;
    renderHistory();
    setDownload(null);
    $('drop-zone').classList.add('has-image');
    $('status').textContent = `${file.name}` + (state.image ? ` · ${state.image.width} × ${state.image.height}` : '');
    draw();
  }

  function draw() {
    const entry = state.history[state.active];
    const base = state.image || (entry && entry.mask);
    if (!base) { canvas.width = canvas.height = 0; canvas.dataset.state = 'empty'; return; }
    canvas.width = base.width; canvas.height = base.height;
    if (state.image) ctx.drawImage(state.image, 0, 0);
    else { ctx.fillStyle = '#888'; ctx.fillRect(0, 0, canvas.width, canvas.height); }
    if (!entry) { canvas.dataset.state = 'image'; return; }
    const alpha = $('opacity').value / 100;
    const img = ctx.getImageData(0, 0, canvas.width, canvas.height), px = img.data, mask = entry.maskPixels;
    for (let i = 0, p = 0; i < mask.length; i++, p += 4) {
      if (mask[i]) {
        px[p] = px[p] * (1 - alpha) + MASK_RGB[0] * alpha;
        px[p + 1] = px[p + 1] * (1 - alpha) + MASK_RGB[1] * alpha;
        px[p + 2] = px[p + 2] * (1 - alpha) + MASK_RGB[2] * alpha;
      }
    }
    ctx.putImageData(img, 0, 0);
    // nothing drawn is said in words: the model found no such object (status and history say it too)
    canvas.dataset.state = entry.found ? 'mask' : 'no-target';
    canvas.dataset.sentence = entry.sentence;
  }

  async function maskPixelsOf(bitmap) {
    const c = document.createElement('canvas');
    c.width = bitmap.width; c.height = bitmap.height;
    const g = c.getContext('2d');
    g.drawImage(bitmap, 0, 0);
    const data = g.getImageData(0, 0, c.width, c.height).data, out = new Uint8Array(c.width * c.height);
    for (let i = 0; i < out.length; i++) out[i] = data[i * 4] >= 128 ? 1 : 0;
    return out;
  }

  // The sentence to send, or null (with the reason shown) when the image or the sentence is missing.
  function sentenceToSend() {
    const sentence = $('sentence').value.trim();
    if (!state.file) { showError('Choose an image first.'); return null; }
    if (!sentence) { showError('Type a sentence that describes the object.'); return null; }
    showError('');
    return sentence;
  }

  // POSTs the image and the sentence; the response, or an Error with the server's one-line reason.
  async function post(url, sentence) {
    const body = new FormData();
    body.append('image', state.file);
    body.append('text', sentence);
    const response = await fetch(url, { method: 'POST', body });
    if (!response.ok) {
      let reason = `${response.status} ${response.statusText}`;
      try { reason = `${response.status}: ${(await response.json()).error}`; } catch (e) { /* not JSON */ }
      throw new Error(reason);
    }
    return response;
  }

  async function segment(event) {
    event.preventDefault();
    const sentence = sentenceToSend();
    if (!sentence) return;
    $('segment-button').disabled = true;
    $('status').textContent = 'Segmenting…';
    canvas.dataset.state = 'busy';
    try {
      const started = performance.now();
      const response = await post('api/segment?format=png', sentence);
      const blob = await response.blob();
      const mask = await createImageBitmap(blob);
      const maskPixels = await maskPixelsOf(mask);
      const area = maskPixels.reduce((a, b) => a + b, 0);
      // X-Target-Found: false when a generalized model judged the object absent, or the mask is empty
      const found = response.headers.get('X-Target-Found') !== 'false' && area > 0;
      const presenceHeader = response.headers.get('X-Presence');
      const presence = presenceHeader === null ? null : Number(presenceHeader);
      state.history.unshift({ sentence, blob, mask, maskPixels, area, found, presence, url: URL.createObjectURL(blob) });
      state.active = 0;
      renderHistory();
      draw();
      const ms = Math.round(performance.now() - started);
      $('status').textContent = `${areaText(state.history[0])} · ${ms} ms`;
    } catch (e) {
      showError(e.message);
      $('status').textContent = '';
      draw();
    } finally {
      $('segment-button').disabled = false;
    }
  }

  // Word maps: one picture per word, as `segment --explain` draws them.
  async function explain() {
    const sentence = sentenceToSend();
    if (!sentence) return;
    $('explain-button').disabled = true;
    const section = $('word-maps'), list = $('word-map-list');
    section.dataset.state = 'busy';
    $('status').textContent = 'Drawing word maps…';
    try {
      const response = await post('api/explain', sentence);
      const json = await response.json();
      list.replaceChildren(...json.words.map(w => {
        const figure = document.createElement('figure');
        const img = document.createElement('img');
        img.src = w.picture;
        img.alt = `where "${w.word}" looks`;
        const caption = document.createElement('figcaption');
        caption.textContent = w.word;
        figure.append(img, caption);
        return figure;
      }));
      section.hidden = false;
      section.dataset.state = 'shown';
      section.dataset.sentence = sentence;
      $('status').textContent = `word maps of ${json.words.length} words`;
    } catch (e) {
      showError(e.message);
      section.dataset.state = 'error';
      $('status').textContent = '';
    } finally {
      $('explain-button').disabled = false;
    }
  }

  function presenceText(entry) {
    return entry.presence === null ? '' : ` · presence ${entry.presence.toFixed(2)}`;
  }

  function areaText(entry) {
    if (!entry.found) return `no such object found${presenceText(entry)}`;
    return `${entry.area.toLocaleString()} pixels (${(100 * entry.area / entry.maskPixels.length).toFixed(1)} %)`
      + presenceText(entry);
  }

  function setDownload(entry) {
    const link = $('download');
    link.classList.toggle('disabled', !entry);
    link.href = entry ? entry.url : '#';
    if (entry) link.download = 'mask-' + entry.sentence.replace(/[^a-z0-9]+/gi, '-').slice(0, 40) + '.png';
  }

  function renderHistory() {
    const list = $('history');
    list.replaceChildren(...state.history.map((entry, i) => {
      const li = document.createElement('li');
      li.className = i === state.active ? 'active' : '';
      const text = document.createElement('span');
      text.textContent = entry.sentence;
      const area = document.createElement('span');
      area.className = 'area';
      area.textContent = entry.found ? `${entry.area.toLocaleString()} px` : 'not found';
      li.append(text, area);
      li.addEventListener('click', () => {
        state.active = i;
        renderHistory();
        draw();
        $('status').textContent = areaText(entry);
      });
      return li;
    }));
    setDownload(state.history[state.active] || null);
  }

  $('image-input').addEventListener('change', e => loadFile(e.target.files[0]));
  $('segment-form').addEventListener('submit', segment);
  $('explain-button').addEventListener('click', explain);
  $('opacity').addEventListener('input', draw);
  const zone = $('drop-zone');
  zone.addEventListener('dragover', e => { e.preventDefault(); zone.classList.add('dragging'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', e => {
    e.preventDefault();
    zone.classList.remove('dragging');
    if (e.dataTransfer.files.length) loadFile(e.dataTransfer.files[0]);
  });
})();
