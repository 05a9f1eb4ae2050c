"The augmentation inside the real DataBlock: training items change, validation items do not."
import numpy as np
from PIL import Image
from pipeline.data import image_set, data_stats
from pipeline.loaders import files_dls
from conftest import run_cli


def _images(dl, n):
    "The first `n` images of `dl`, as fastai's loader makes them (item transforms, no normalisation), HxWxC uint8."
    x, _ = dl.new(shuffle=False, drop_last=False, bs=n, after_batch=[]).one_batch()
    return [im.permute(1, 2, 0).numpy() for im in x]


def test_train_items_are_augmented_and_valid_items_are_not(toy):
    dls = files_dls(image_set(toy, limit=1000), bs=8, num_workers=0)
    valid_a, valid_b = _images(dls.valid, 16), _images(dls.valid, 16)
    originals = [np.asarray(Image.open(f)) for f in dls.valid.items[:16]]
    assert all((a == o).all() and (b == o).all() for a, b, o in zip(valid_a, valid_b, originals))
    train_a, train_b = _images(dls.train, 64), _images(dls.train, 64)
    assert sum(not (a == b).all() for a, b in zip(train_a, train_b)) > 40  # P(no change) = 1/8 for each


def _has_block(mask, size=16):
    "True when `mask` is true over a whole `size`x`size` window."
    c = np.pad(mask.cumsum(0).cumsum(1), ((1, 0), (1, 0)))
    return bool(((c[size:, size:] - c[:-size, size:] - c[size:, :-size] + c[:-size, :-size]) == size * size).any())


def test_the_hole_is_the_data_sets_mean(toy):
    "In training images, a 16x16 block of exactly the mean colour appears about half the time, and never a 17x17 one."
    dls = files_dls(image_set(toy, limit=1000), bs=8, num_workers=0)
    fill = np.round(np.array(data_stats(image_set(toy, limit=1000))[0]) * 255)
    masks = [np.all(x == fill, -1) for x in _images(dls.train, 400)]
    hits = sum(map(_has_block, masks))
    assert 0.4 < hits / 400 < 0.6, hits
    assert not any(_has_block(m, 17) for m in masks)


def test_grid_command(real_cifar, tmp_path):
    out = tmp_path/'augmentations.png'
    run_cli('augment', '--out', tmp_path, '--data', real_cifar, check=0)
    assert Image.open(out).size[0] > 400
