"The batch transforms of the gpu data mode against albumentations: same distributions, measured from the outputs."
import numpy as np, pytest, torch
from pipeline.recipes import AUG
from pipeline.batch_augment import BatchFlip, BatchShiftScaleRotate, BatchCoarseDropout, batch_augs
from pipeline.testing import coord_probe, alb_outputs, batch_outputs, summarise, compare_augment
from pipeline.core import default_device

MEAN = (0.4914, 0.4822, 0.4465)  # CIFAR-10's
N = 3000
RATE_GAP, KS = 0.05, 0.07  # 3,000 draws each: ~1% critical values


def _within(gaps):
    return all(gaps[k] < RATE_GAP for k in ('flip_rate', 'warp_rate', 'hole_rate')) and \
           all(v < KS for k, v in gaps.items() if not k.endswith('rate'))


@pytest.fixture(scope='module')
def alb():
    return summarise(alb_outputs(coord_probe(), MEAN, N, seed=1), MEAN)


def test_batch_augs_match_albumentations_in_distribution(alb):
    "Flip, warp and hole rates, angle, scales, shifts and hole position: the same distributions (on the GPU if there is one)."
    torch.manual_seed(1)
    ours = summarise(batch_outputs(coord_probe(), MEAN, N, device=default_device()), MEAN)
    gaps = compare_augment(alb, ours)
    assert _within(gaps), gaps
    for s in (alb, ours):
        assert s['hole_sizes'] == [(16, 16)] and s['hole_fill_ok']
        assert abs(s['flip_rate'] - .5) < .04 and abs(s['warp_rate'] - .5) < .04 and abs(s['hole_rate'] - .5) < .04
        assert -15.2 < s['angle'].min() < -14.5 and 14.5 < s['angle'].max() < 15.2
        assert set(np.unique(s['tx'])) == set(np.unique(s['ty'])) == {-3., -2., -1., 0., 1., 2., 3.}
        assert (s['hole_y'].min(), s['hole_y'].max(), s['hole_x'].min(), s['hole_x'].max()) == (0, 16, 0, 16)


@pytest.mark.parametrize('wrong', [
    [BatchFlip(0.3), BatchShiftScaleRotate(), BatchCoarseDropout(MEAN)],                    # flip rate
    [BatchFlip(), BatchShiftScaleRotate(rotate=10), BatchCoarseDropout(MEAN)],              # angle range
    [BatchFlip(), BatchShiftScaleRotate(scale=0.05), BatchCoarseDropout(MEAN)],             # scale range
    [BatchFlip(), BatchShiftScaleRotate(shift=0.0625), BatchCoarseDropout(MEAN)],           # albumentations' default shift
    [BatchFlip(), BatchShiftScaleRotate(p=0.7), BatchCoarseDropout(MEAN)],                  # warp rate
    [BatchFlip(), BatchShiftScaleRotate(), BatchCoarseDropout(MEAN, p=0.7)],                # hole rate
], ids=['flip-rate', 'angle', 'scale', 'shift', 'warp-rate', 'hole-rate'])
def test_the_comparison_catches_a_wrong_setting(alb, wrong):
    "The same comparison fails for transforms that differ from albumentations in one setting: the test can fail."
    torch.manual_seed(1)
    ours = summarise(batch_outputs(coord_probe(), MEAN, N, tfms=wrong), MEAN)
    assert not _within(compare_augment(alb, ours))


def test_a_wrong_hole_is_caught():
    "A 12x12 hole, or a fill that is not the mean, shows in the outputs."
    torch.manual_seed(0)
    small = summarise(batch_outputs(coord_probe(), MEAN, 200, tfms=[BatchCoarseDropout(MEAN, hole=12, p=1)]), MEAN)
    assert small['hole_sizes'] == [(12, 12)]
    grey = summarise(batch_outputs(coord_probe(), MEAN, 200, tfms=[BatchCoarseDropout((.5, .5, .5), p=1)]), MEAN)
    assert not grey['hole_fill_ok']


def test_validation_batches_are_untouched():
    x = torch.rand(8, 3, 32, 32)
    from fastai.vision.all import TensorImage
    for t in batch_augs(MEAN): assert torch.equal(t(TensorImage(x), split_idx=1), x)


def test_settings_come_from_the_one_place():
    flip, ssr, hole = batch_augs(MEAN)
    assert (flip.p, ssr.shift, ssr.scale, ssr.rotate, ssr.p, hole.hole, hole.p) == \
           (AUG['p_flip'], AUG['shift'], AUG['scale'], AUG['rotate'], AUG['p_ssr'], AUG['hole'], AUG['p_hole'])
