"Finding, checking and describing a data set (CIFAR-10, and folders of a user's own): on data the tests make, and on the real CIFAR-10 when present."
import http.server, shutil, tarfile, threading
from functools import partial
import numpy as np, pytest
from pipeline.core import PipelineError
from pipeline.loaders import files_dls
from pipeline.data import find_data, image_set, data_stats, make_toy_cifar, describe, CIFAR_CLASSES


def test_find_order(tmp_path, monkeypatch):
    "--data first, then $CIFAR10_DIR."
    monkeypatch.setenv('CIFAR10_DIR', str(tmp_path/'env'))
    assert find_data(tmp_path/'arg') == tmp_path/'arg'
    assert find_data() == tmp_path/'env'


@pytest.fixture
def served_archive(tmp_path):
    "A cifar10.tgz of a small data set, served over HTTP on the loopback address."
    src = make_toy_cifar(tmp_path/'src'/'cifar10', n_train=2, n_test=1)
    www = tmp_path/'www'; www.mkdir()
    with tarfile.open(www/'cifar10.tgz', 'w:gz') as t: t.add(src, arcname='cifar10')
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(www))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f'http://127.0.0.1:{server.server_port}/cifar10.tgz'
    server.shutdown()


def test_download_path(served_archive, tmp_path, monkeypatch):
    "Without --data or $CIFAR10_DIR, fastai's untar_data downloads and unpacks the archive."
    monkeypatch.delenv('CIFAR10_DIR', raising=False)
    monkeypatch.setenv('FASTAI_HOME', str(tmp_path/'fastai'))
    path = find_data(url=served_archive)
    assert path == tmp_path/'fastai'/'data'/'cifar10'
    assert image_set(path, limit=20).path == path
    assert (tmp_path/'fastai'/'archive'/'cifar10.tgz').exists()


def test_download_failure_is_one_line(tmp_path, monkeypatch):
    monkeypatch.delenv('CIFAR10_DIR', raising=False)
    monkeypatch.setenv('FASTAI_HOME', str(tmp_path/'fastai'))
    with pytest.raises(PipelineError, match='could not download CIFAR-10 .* pass --data DIR'):
        find_data(url='http://127.0.0.1:9/nowhere.tgz')


def test_incomplete_copies_are_refused(toy, tmp_path):
    "Each kind of damage to a full-size layout names what is wrong."
    bad = tmp_path/'cifar10'
    shutil.copytree(toy, bad)
    with pytest.raises(PipelineError, match=r'train/airplane has 100 images, CIFAR-10 has 5,000'): image_set(bad)
    with pytest.raises(PipelineError, match=r'needs 200 per class; use a smaller --limit'): image_set(bad, limit=2000)
    shutil.rmtree(bad/'test'/'frog')
    with pytest.raises(PipelineError, match=r'train has class folders that .*test lacks \(frog\)'): image_set(bad, limit=100)


def test_limit_is_class_balanced(toy):
    ds = image_set(toy, limit=500)
    assert len(ds.train) == 500 and len(ds.valid) == 100
    assert {c: sum(f.parent.name == c for f in ds.train) for c in CIFAR_CLASSES} == {c: 50 for c in CIFAR_CLASSES}
    assert ds.items == image_set(toy, limit=500).items  # the same subset every time


def test_unreadable_image(toy, tmp_path):
    "A damaged file stops loading with one line naming it, from the statistics or from a DataLoader worker."
    from pipeline.core import error_line
    bad = tmp_path/'cifar10'
    shutil.copytree(toy, bad)
    data_stats(image_set(bad, limit=1000))  # cached while every image is fine
    victim = sorted((bad/'test'/'cat').glob('*.png'))[3]
    victim.write_bytes(b'\x89PNG not really')
    dls = files_dls(image_set(bad, limit=1000), bs=200, num_workers=1)
    with pytest.raises(PipelineError) as e: list(dls.valid)
    assert error_line(e.value).startswith(f'cannot read image {victim} (UnidentifiedImageError)')
    victim = sorted((bad/'train'/'cat').glob('*.png'))[3]
    victim.write_bytes(b'')
    with pytest.raises(PipelineError, match=f'cannot read image {victim}'): data_stats(image_set(bad, limit=900))


def test_real_data_is_complete(real_cifar):
    ds = image_set(real_cifar)
    assert (ds.classes, len(ds.train), len(ds.valid), ds.layout) == (CIFAR_CLASSES, 50_000, 10_000, 'train/ and test/')
    lines = describe(ds)
    assert lines[1] == '  PNG 60,000; all RGB; all 32x32', lines


def test_real_stats_match_the_published_ones(real_cifar):
    "The training set's mean and std, computed from the PNGs, are CIFAR-10's published values."
    mean, std = data_stats(image_set(real_cifar))
    np.testing.assert_allclose(mean, (0.49140, 0.48216, 0.44653), atol=5e-5)
    np.testing.assert_allclose(std, (0.24703, 0.24349, 0.26159), atol=5e-5)
