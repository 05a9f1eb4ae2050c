"""`dsc_fast_stem32`'s training step alone on this CPU (pipeline.bench's helpers: fastai's fit on random images), three
ways: every precision, layout and compile (`step_settings`); eager and compiled in turn; batches of 128, 256 and 512
in turn. The log of 2026-12-06 is zen4_step.log.
Usage: python bench/fast2/zen4_step_rates.py [settings|compile|batch]"""
import sys
from pipeline.bench import step_epoch_seconds, step_settings

ARCH = 'dsc_fast_stem32'

def rate(bs, batches, compile=False) -> str:
    "Images per second of the second of two epochs of `batches` (bf16, channels-last), and the first's extra seconds."
    secs = step_epoch_seconds(ARCH, bs, batches=batches, channels_last=True, compile=compile, precision='bf16')
    return f'{bs * batches / secs[-1]:,.0f} images/s (warm-up {secs[0] - secs[-1]:+.1f} s)'

if __name__ == '__main__':
    what = sys.argv[1] if len(sys.argv) > 1 else 'settings'
    if what == 'settings': step_settings(ARCH, bs=128, batches=40, precisions=('bf16', 'fp32'))
    for r in range(3):
        if what == 'compile':
            for c in (False, True): print(f'round {r} bs 128 compile {c}: {rate(128, 100, c)}', flush=True)
        if what == 'batch':
            for bs in (128, 256, 512): print(f'round {r} bs {bs}: {rate(bs, 12800 // bs)}', flush=True)
