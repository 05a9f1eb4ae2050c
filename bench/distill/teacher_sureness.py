"""How sure the teacher is of its own training images, clean and as the `best` recipe's training views: 1,000 of them,
the batch augmentation (flip at p=0.5; shift-scale-rotate and the hole each at p) drawn 4 times. Reads no test image.
Usage: python bench/distill/teacher_sureness.py > bench/distill/teacher_sureness.log"""
import torch
import pipeline  # noqa: F401  (its warning filters first)
from fastai.torch_core import TensorImage
from pipeline.batch_augment import batch_augs
from pipeline.data import image_set
from pipeline.infer import load_exported_learner
from pipeline.loaders import device_dls, normalize_of
from pipeline.models import inner_net

torch.manual_seed(0)
teacher = load_exported_learner('models/dsc_teacher.pkl')
net, norm = inner_net(teacher.model).eval(), normalize_of(teacher.dls.train, required=True)
dls = device_dls(image_set(limit=2000), bs=500, device=torch.device('cpu'))
x = TensorImage(dls.train.dataset.x[:1000].float() / 255)
y = dls.train.dataset.y[:1000].as_subclass(torch.Tensor)

def probs(v):
    with torch.no_grad(): return net(((v - norm.mean) / norm.std).as_subclass(torch.Tensor)).float().softmax(1)

for p in (0., .5, 1.):
    augs = batch_augs(norm.mean.view(3), p_ssr=p, p_hole=p)
    views = []
    for _ in range(4):
        v = x
        for a in augs: v = a(v, split_idx=0)
        views.append(probs(v))
    one, avg = views[0], torch.stack(views).mean(0)
    print(f'p={p}: one view: top class {one.max(1).values.mean():.3f} on average, above 0.99 for '
          f'{(one.max(1).values > .99).float().mean():.1%}, right for {(one.argmax(1) == y).float().mean():.1%}; '
          f'mean of 4 views: top class {avg.max(1).values.mean():.3f}, '
          f'entropy {-(avg * avg.clamp_min(1e-12).log()).sum(1).mean():.3f} nats')
