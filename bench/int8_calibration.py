"""Which int8 calibration agrees best with the fp32 ONNX model, judged on training images (not the test set).

`python bench/int8_calibration.py models/NAME.pkl` (after `python -m pipeline.export models/NAME.pkl`): for MinMax,
Percentile and Entropy, the share of 3,000 training images drawn with another seed (about 60 of them also
among the 1,024 that calibrate) whose top class the int8 model shares
with the fp32 one, and the largest probability difference."""
import numpy as np, sys, tempfile
from pathlib import Path
from pipeline.export import quantize_int8, calibration_images
from pipeline.evaluate import test_set
from pipeline.runtime import OnnxClassifier
pkl = Path(sys.argv[1]); onnx = pkl.with_suffix('.onnx')
ds = test_set(pkl, None, None)
calib = calibration_images(ds, 1024, 32)             # seed 0: what pipeline.export calibrates with
x = calibration_images(ds, 3000, 32, seed=1)         # other training images, to judge by
ref = OnnxClassifier(onnx).probs(x)
for cal in ('MinMax', 'Percentile', 'Entropy'):
    d = Path(tempfile.mkdtemp())/'m.onnx'
    quantize_int8(onnx, d, calib, calibrate=cal)
    p = OnnxClassifier(d).probs(x)
    agree = round(float((p.argmax(1) == ref.argmax(1)).mean()), 4)
    print(pkl.stem, cal, 'top class as fp32 on 3,000 training images:', agree, 'max prob diff',
          round(float(np.abs(p - ref).max()), 3), flush=True)
