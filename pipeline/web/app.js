// The page of `python -m pipeline.web`: a picture (file, drop or camera) in, the model's top 3 classes out, computed by
// onnxruntime-web in this browser. Nothing leaves the page: the model, its classes and the runtime are files beside it.
'use strict';

// ---- preprocessing: exactly what pipeline.runtime.resize_square does with PIL (the centred square, then PIL's
// bilinear resampling in its 8-bit fixed point), so that the page and Python give the model the same pixels
const PRECISION_BITS = 32 - 8 - 2;  // PIL's, for 8-bit images

function bilinearCoeffs(inSize, outSize) {
  // PIL's precompute_coeffs and normalize_coeffs_8bpc for its bilinear filter (support 1, widened when shrinking)
  const scale = inSize / outSize, fscale = Math.max(scale, 1), support = fscale, out = [];
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const n = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    const k = [];
    let ww = 0;
    for (let x = 0; x < n; x++) {
      const w = Math.max(1 - Math.abs((x + xmin - center + 0.5) / fscale), 0);
      k.push(w); ww += w;
    }
    out.push({xmin, k: k.map(w => {
      const v = ww === 0 ? w : w / ww;
      return Math.trunc(v * (1 << PRECISION_BITS) + (v < 0 ? -0.5 : 0.5));
    })});
  }
  return out;
}

function clip8(ss) { return Math.min(Math.max(Math.floor(ss / (1 << PRECISION_BITS)), 0), 255); }

function resamplePass(src, w, h, outW, outH, horizontal) {
  // one of PIL's two passes over an RGB array (h, w, 3): along the rows (`horizontal`) or the columns
  const cs = bilinearCoeffs(horizontal ? w : h, horizontal ? outW : outH), dst = new Uint8Array(outW * outH * 3);
  for (let y = 0; y < outH; y++) for (let x = 0; x < outW; x++) {
    const {xmin, k} = cs[horizontal ? x : y];
    for (let c = 0; c < 3; c++) {
      let ss = 1 << (PRECISION_BITS - 1);
      for (let i = 0; i < k.length; i++) {
        const px = horizontal ? (y * w + xmin + i) : ((xmin + i) * w + x);
        ss += src[px * 3 + c] * k[i];
      }
      dst[(y * outW + x) * 3 + c] = clip8(ss);
    }
  }
  return dst;
}

function resizeSquare(rgb, w, h, size) {
  // the (size, size, 3) uint8 pixels the model takes, from an RGB array (h, w, 3): as pipeline.runtime.resize_square
  if (w === size && h === size) return rgb;
  const side = Math.trunc(Math.min(w, h) / size * size), left = Math.trunc(0.5 * (w - side));
  const top = Math.trunc(0.5 * (h - side)), crop = new Uint8Array(side * side * 3);
  for (let y = 0; y < side; y++) crop.set(rgb.subarray(((top + y) * w + left) * 3, ((top + y) * w + left + side) * 3),
                                          y * side * 3);
  if (side === size) return crop;
  return resamplePass(resamplePass(crop, side, side, size, side, true), size, side, size, size, false);
}

function rgbOf(rgba) {
  // an RGBA array as RGB: PIL's convert('RGB') drops alpha too
  const rgb = new Uint8Array(rgba.length / 4 * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) { rgb[j] = rgba[i]; rgb[j + 1] = rgba[i + 1]; rgb[j + 2] = rgba[i + 2]; }
  return rgb;
}

if (typeof module !== 'undefined') module.exports = {bilinearCoeffs, resizeSquare, rgbOf};  // for the tests, in node

// ---- the page
if (typeof document !== 'undefined') (() => {
  const $ = id => document.getElementById(id);
  const state = {session: null, meta: null, results: [], busy: Promise.resolve()};
  window.pipeline = state;  // what the page computed, for the tests and the curious

  function say(text, error = false) {
    $('status').textContent = text;
    $('status').className = error ? 'error' : '';
    if (error) document.body.dataset.error = text;
  }
  function firstLine(e) { return String(e && e.message || e).split('\n')[0].slice(0, 200); }

  async function load() {
    document.body.dataset.state = 'loading';
    if (typeof WebAssembly !== 'object' || typeof ort === 'undefined') {
      throw new Error('this browser cannot run the model: it needs WebAssembly and the page\'s ort.wasm.min.js');
    }
    let meta;
    try { meta = await (await fetch('model.json')).json(); }
    catch (e) {
      throw new Error('cannot read model.json: serve this folder (python -m pipeline.web --serve DIR) rather than ' +
                      'opening it as a file');
    }
    ort.env.wasm.numThreads = 1;  // threads need cross-origin isolation, which a plain file server does not give
    ort.env.wasm.wasmPaths = './';  // the runtime's files beside the page: nothing from the network
    try { state.session = await ort.InferenceSession.create(meta.model); }
    catch (e) {
      throw new Error(`cannot load the model ${meta.model} (${firstLine(e)}): export it again with python -m ` +
                      'pipeline.web');
    }
    state.meta = meta;
    await classify(new Uint8Array(meta.size * meta.size * 3), meta.size, meta.size);  // the first run allocates: not timed
    $('seen').width = $('seen').height = meta.size;
    const acc = meta.accuracy ? `, ${(100 * meta.accuracy).toFixed(2)}% on the test set` : '';
    const passes = meta.passes === 2 ? ' Each picture runs twice, as it is and mirrored, and the two are averaged.'
      : meta.passes === 6 ? ' Each picture runs six times, as it is and moved a pixel up-left and down-right, each ' +
        'also mirrored, and the six are averaged.' : '';
    say(`ready: ${meta.source} (${meta.format}, ${meta.classes.length} classes, ${meta.size}x${meta.size} pixels${acc})`);
    $('about').textContent = `${meta.model} (${(meta.bytes / 1024).toFixed(0)} KB) runs in this browser with ` +
      `onnxruntime-web ${ort.env.versions ? ort.env.versions.web : ''}: no picture leaves the page.${passes}`;
    document.body.dataset.state = 'ready';
  }

  async function pixels(source) {
    // the RGB pixels of a file or a video frame, as decoded, without colour management (as PIL reads them)
    const bitmap = await createImageBitmap(source, {colorSpaceConversion: 'none', premultiplyAlpha: 'none'});
    const canvas = document.createElement('canvas');
    canvas.width = bitmap.width; canvas.height = bitmap.height;
    const ctx = canvas.getContext('2d', {willReadFrequently: true});
    ctx.drawImage(bitmap, 0, 0);
    return {rgb: rgbOf(ctx.getImageData(0, 0, bitmap.width, bitmap.height).data), w: bitmap.width, h: bitmap.height};
  }

  async function classify(rgb, w, h) {
    const size = state.meta.size, x = resizeSquare(rgb, w, h, size);
    const input = new ort.Tensor('uint8', x, [1, size, size, 3]);
    const t = performance.now();
    const out = await state.session.run({[state.session.inputNames[0]]: input});
    const ms = performance.now() - t;
    return {x, probs: Array.from(out[state.session.outputNames[0]].data), ms};
  }

  function show(name, r) {
    const {x, probs, ms} = r, size = state.meta.size, img = new ImageData(size, size);
    for (let i = 0; i < size * size; i++) img.data.set([x[3 * i], x[3 * i + 1], x[3 * i + 2], 255], 4 * i);
    $('seen').getContext('2d').putImageData(img, 0, 0);
    const top = probs.map((p, i) => [p, i]).sort((a, b) => b[0] - a[0]).slice(0, 3);
    $('top').innerHTML = `<b>${name}</b> (${ms.toFixed(2)} ms)<br>` + top.map(([p, i]) =>
      `<span class="bar" style="width:${(p * 8).toFixed(2)}rem"></span> ${state.meta.classes[i]} ${(100 * p).toFixed(1)}%`
    ).join('<br>');
  }

  function row(cells) {
    const tr = document.createElement('tr');
    for (const c of cells) { const td = document.createElement('td'); td.textContent = c; tr.appendChild(td); }
    $('table').tBodies[0].appendChild(tr);
    $('table').hidden = false;
  }

  async function classifyFiles(files) {
    document.body.dataset.state = 'busy';
    for (const f of files) {
      try {
        const {rgb, w, h} = await pixels(f), r = await classify(rgb, w, h), i = r.probs.indexOf(Math.max(...r.probs));
        state.results.push({name: f.name, probs: r.probs, ms: r.ms, label: state.meta.classes[i]});
        if (files.length === 1) show(f.name, r);
        row([f.name, state.meta.classes[i], `${(100 * r.probs[i]).toFixed(1)}%`, r.ms.toFixed(2)]);
        if (files.length > 1 && f === files[files.length - 1]) show(f.name, r);
      } catch (e) {
        const line = `cannot read ${f.name}: it is not an image this browser decodes (${firstLine(e)})`;
        state.results.push({name: f.name, error: line});
        row([f.name, line, '', '']);
        say(line, true);
      }
    }
    const ok = state.results.filter(r => !r.error);
    if (ok.length && !document.body.dataset.error) {
      const ms = ok.map(r => r.ms).sort((a, b) => a - b), median = ms[Math.floor((ms.length - 1) / 2)];
      say(`${ok.length} picture${ok.length > 1 ? 's' : ''} classified, the model taking ${median.toFixed(2)} ms ` +
          'for the median one');
    }
    document.body.dataset.state = 'done';
  }

  function whenReady(fn) {
    // one batch at a time, in order, after the model has loaded
    return (...args) => { state.busy = state.busy.then(() => state.session && fn(...args)); return state.busy; };
  }
  const onFiles = whenReady(files => classifyFiles(Array.from(files)));

  $('files').addEventListener('change', e => onFiles(e.target.files));
  const drop = $('drop');
  drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', e => { e.preventDefault(); drop.classList.remove('over'); onFiles(e.dataTransfer.files); });

  $('camera').addEventListener('click', async () => {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      say('the camera needs a secure page: open it as http://127.0.0.1 or over https', true); return;
    }
    try {
      const video = $('video');
      video.srcObject = await navigator.mediaDevices.getUserMedia({video: {facingMode: 'environment'}});
      video.style.display = 'block';
      $('snap').disabled = false;
    } catch (e) { say(`cannot open the camera (${firstLine(e)})`, true); }
  });
  $('snap').addEventListener('click', whenReady(async () => {
    const video = $('video');
    const {rgb, w, h} = await pixels(video), r = await classify(rgb, w, h), i = r.probs.indexOf(Math.max(...r.probs));
    state.results.push({name: 'camera', probs: r.probs, ms: r.ms, label: state.meta.classes[i]});
    show('camera', r);
    document.body.dataset.state = 'done';
  }));

  state.busy = load().catch(e => { say(firstLine(e), true); document.body.dataset.state = 'error'; });
})();
