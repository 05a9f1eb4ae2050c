"""The web page in a real browser: headless Chromium (Debian's, driven by Playwright) opens the page served on 127.0.0.1,
with every request elsewhere refused, and classifies real test images through its own file input."""
import json, shutil, subprocess
import numpy as np, pytest
from PIL import Image
from conftest import REAL_CIFAR, ROOT, run_cli
from pipeline.runtime import resize_array
from pipeline.web import browser_page, page_check, page_results, spread_pick

FP32 = ROOT/'models'/'dsc_fast.onnx'  # the shipped default's fp32 export, its flip inside: two passes an image


@pytest.fixture(scope='module')
def page(tmp_path_factory):
    "The page of the shipped fp32 model, written by the command a user runs."
    out = tmp_path_factory.mktemp('web')/'page'
    p = run_cli('web', FP32, '--out', out, check=0)
    assert 'MB in all' in p.stdout and f'pipeline.web {out} --serve' in p.stdout, p.stdout
    return out


def test_the_resize_is_pil_s():
    "app.js crops and resizes as `pipeline.runtime.resize_square` does with PIL, to the pixel (run in Node)."
    rng, cases = np.random.default_rng(0), []
    for w, h, s in [(64, 64, 32), (40, 37, 32), (100, 50, 32), (33, 33, 32), (301, 200, 96), (20, 20, 32), (31, 45, 64)]:
        a = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
        cases.append(dict(w=w, h=h, s=s, a=a.flatten().tolist(), want=resize_array(a, s).flatten().tolist()))
    js = (f"const {{resizeSquare}} = require({json.dumps(str(ROOT/'pipeline'/'web'/'app.js'))});"
          "const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
          "console.log(JSON.stringify(cases.map(c => Array.from(resizeSquare(Uint8Array.from(c.a), c.w, c.h, c.s)))));")
    got = json.loads(subprocess.run(['node', '-e', js], input=json.dumps(cases), capture_output=True, text=True,
                                    check=True).stdout)
    for c, g in zip(cases, got): assert g == c['want'], (c['w'], c['h'], c['s'])


def test_page_agrees_with_onnxruntime_offline(page, tmp_path):
    "200 real test images through the page's file input: the same top class and probabilities as onnxruntime-Python."
    if not (REAL_CIFAR/'test').is_dir(): pytest.skip('needs CIFAR-10 at ../shared/cifar10')
    files = spread_pick(REAL_CIFAR/'test', 200)
    assert len({f.parent.name for f in files}) == 10
    r = page_check(page, files, screenshot=tmp_path/'page.png')
    assert r['n_images'] == 200 and r['top_class_agreement'] >= 0.995 and r['max_prob_diff'] <= 1e-3, r
    assert r['requests_off_127_0_0_1'] == [], r  # works with the network off
    assert r['page_ms_median'] > 0 and r['onnxruntime_ms_median'] > 0
    assert Image.open(tmp_path/'page.png').size[0] > 0


def test_the_check_command(page, toy):
    "`--check` prints the page's agreement with onnxruntime; --json gives the figures."
    p = run_cli('web', page, '--check', toy/'test', '--n', 20, '--json', check=0)
    r = json.loads(p.stdout)
    assert r['n_images'] == 20 and r['top_class_agreement'] == 1.0 and r['requests_off_127_0_0_1'] == [], r


def test_a_broken_model_is_one_line(page, tmp_path):
    "A damaged model file: the page says so in one line, not a blank page."
    broken = tmp_path/'broken'
    shutil.copytree(page, broken)
    (broken/FP32.name).write_bytes(b'not a model' * 100)
    with browser_page(broken) as (p, outside):
        assert p.evaluate('document.body.dataset.state') == 'error'
        status = p.inner_text('#status')
    assert status.startswith(f'cannot load the model {FP32.name}') and '\n' not in status, status
    assert 'python -m pipeline.web' in status and outside == []


def test_an_unreadable_image_is_one_line_and_the_rest_classified(page, toy, tmp_path):
    "A text file named .png among images: its row and the status line say so; the other images are classified."
    bad = tmp_path/'notes.png'
    bad.write_text('this is text, not a picture')
    good = spread_pick(toy/'test', 2)
    with browser_page(page) as (p, _):
        results = page_results(p, [good[0], bad, good[1]])
        status = p.inner_text('#status')
    assert [('error' in r) for r in results] == [False, True, False], results
    assert results[1]['error'].startswith('cannot read notes.png') and '\n' not in status and 'notes.png' in status
    assert all(abs(sum(r['probs']) - 1) < 1e-4 for r in (results[0], results[2]))


def test_the_camera(page):
    "The camera button opens the camera (Chromium's fake one), and a frame is classified."
    with browser_page(page) as (p, outside):
        p.click('#camera')
        p.wait_for_function("!document.getElementById('snap').disabled")
        p.wait_for_function("document.getElementById('video').videoWidth > 0")
        p.click('#snap')
        p.wait_for_function("window.pipeline.results.length === 1")
        r = p.evaluate('window.pipeline.results[0]')
    assert r['name'] == 'camera' and abs(sum(r['probs']) - 1) < 1e-4 and outside == [], r


def test_bad_input_is_one_line(tmp_path):
    "A learner instead of an ONNX file, or a folder without a page: exit 2 and one line."
    for args, says in [((ROOT/'models'/'dsc_fast.pkl', '--out', tmp_path/'x'), 'is not an ONNX file'),
                       ((tmp_path, '--serve'), 'holds no page')]:
        p = run_cli('web', *args, check=2)
        assert says in p.stderr and len(p.stderr.strip().splitlines()) == 1, p.stderr
