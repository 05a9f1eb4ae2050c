"""What the flip TTA adds to a validation proxy's network on the images its run held out, with the two predictions
averaged as probabilities at temperatures 1, 2, 4 and 8, and as logits: whether a distilled network's sureness is what
keeps the mean of an image and its mirror from helping. Reads no test image.
Usage: python bench/distill/flip_temperature.py RUN.pkl ... > LOG"""
import sys, torch
import pipeline  # noqa: F401  (its warning filters first)
from pipeline.evaluate import held_out_set
from pipeline.infer import load_exported_learner
from pipeline.loaders import device_dls, normalize_of
from pipeline.models import inner_net
for pkl in sys.argv[1:]:
    dls = device_dls(held_out_set(pkl), bs=500, device=torch.device('cpu'))
    x, y = dls.valid.dataset.x, dls.valid.dataset.y.as_subclass(torch.Tensor)
    learn = load_exported_learner(pkl)  # known: a run adds its learner to the trust list
    norm, net = normalize_of(learn.dls.train, required=True), inner_net(learn.model).eval()
    def lg(x):
        with torch.no_grad():
            return torch.cat([net(((b.float() / 255 - norm.mean) / norm.std).as_subclass(torch.Tensor))
                              for b in x.split(500)]).float()
    l, lm = lg(x), lg(x.flip(-1))
    out = [f'{pkl}: alone {(l.argmax(1) == y).float().mean():.2%}']
    for T in (1, 2, 4, 8):
        out.append(f'T={T} {(((l / T).softmax(1) + (lm / T).softmax(1)).argmax(1) == y).float().mean():.2%}')
    out.append(f'logits {((l + lm).argmax(1) == y).float().mean():.2%}')
    print(', '.join(out))
