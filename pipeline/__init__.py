__version__ = "0.0.1"

import warnings
# fastai's import of torchvision calls torch.jit.script, deprecated in recent torch: not ours to fix, and noise in every
# command
warnings.filterwarnings('ignore', message='`torch.jit.script` is deprecated', category=FutureWarning)
