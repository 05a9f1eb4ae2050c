"""How far the shipped `best` learner fits what it trained on: 10,000 of its training images, clean (the network alone,
and with the flip TTA inside it) and through the recipe's training augmentation (flip, shift-scale-rotate, hole).
Usage: python bench/best2/fit_gap.py > bench/best2/fit_gap.log"""
import torch
import pipeline  # noqa: F401  (its warning filters first)
from fastai.torch_core import TensorImage
from pipeline.data import image_set
from pipeline.infer import load_exported_learner
from pipeline.loaders import device_dls, normalize_of
from pipeline.batch_augment import BatchFlip, BatchShiftScaleRotate, BatchCoarseDropout
from pipeline.models import inner_net

torch.manual_seed(0)
learn = load_exported_learner('models/dsc_wide.pkl')
norm = normalize_of(learn.dls.train, required=True)
dls = device_dls(image_set(limit=12500), bs=500, device=torch.device('cpu'))
x, y = dls.train.dataset.x[:10000], dls.train.dataset.y[:10000].as_subclass(torch.Tensor)
augs = [t for t in dls.train.after_batch.fs if isinstance(t, (BatchFlip, BatchShiftScaleRotate, BatchCoarseDropout))]

def accuracy(net, augmented):
    right = 0
    with torch.no_grad():
        for b, yb in zip(x.split(500), y.split(500)):
            v = TensorImage(b.float() / 255)
            for a in (augs if augmented else ()): v = a(v, split_idx=0)
            right += (net(((v - norm.mean) / norm.std).as_subclass(torch.Tensor)).argmax(1) == yb).sum().item()
    return right / len(y)

alone = inner_net(learn.model).eval()
print(f'{len(y):,} training images: flip inside, clean {accuracy(learn.model.eval(), False):.2%}; network alone, clean '
      f'{accuracy(alone, False):.2%}; network alone, as trained (augmented) {accuracy(alone, True):.2%}')
