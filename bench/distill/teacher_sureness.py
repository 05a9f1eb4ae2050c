"""How sure the teacher is of its own training images, clean and as the `best` recipe's training views: 1,000 of them,
through `distill.teacher_log_probs`, which makes the targets `--distill-views K` trains on: one view of each image (its
shift-scale-rotate and hole each at p), and the mean of 4 (of the image; the mirror's, made beside them, are left
out). Reads no test image.
Usage: python bench/distill/teacher_sureness.py > bench/distill/teacher_sureness.log"""
import torch
import pipeline  # noqa: F401  (its warning filters first)
from pipeline.batch_augment import BatchFlip, batch_augs
from pipeline.data import image_set
from pipeline.distill import teacher_log_probs
from pipeline.infer import load_exported_learner
from pipeline.loaders import device_dls, normalize_of

torch.manual_seed(0)
teacher = load_exported_learner('models/dsc_teacher.pkl')
mean = normalize_of(teacher.dls.train, required=True).mean.view(3)
dls = device_dls(image_set(limit=2000), bs=500, device=torch.device('cpu'))
x, y = dls.train.dataset.x[:1000], dls.train.dataset.y[:1000].as_subclass(torch.Tensor)

def probs(views, p) -> torch.Tensor:
    "The teacher's class probabilities for each image (not its mirror): clean, or the mean of `views` views at `p`."
    augs = [t for t in batch_augs(mean, p_ssr=p, p_hole=p) if not isinstance(t, BatchFlip)]  # the mirror: its own row
    return teacher_log_probs(teacher, x, views=views, augs=augs)[:, 0].exp()

def sureness(pr) -> str:
    top = pr.max(1).values
    return (f'top class {top.mean():.3f} on average, above 0.99 for {(top > .99).float().mean():.1%}, right for '
            f'{(pr.argmax(1) == y).float().mean():.1%}, entropy {-(pr * pr.clamp_min(1e-12).log()).sum(1).mean():.3f} '
            'nats')

print(f'clean: {sureness(probs(0, 0.))}')
for p in (.5, 1.): print(f'p={p}: one view: {sureness(probs(1, p))}; mean of 4 views: {sureness(probs(4, p))}')
