"""`python -m pipeline.X ...` for the tests, in a child forked from a process that has already imported the project.

A fresh interpreter spends about 8 s of a 2-core CPU importing torch, fastai and the project before a command's first
line, and the suite runs some 200 commands: that was a third of its time. The server imports them once; each command
is a child forked from it that runs the module as `python -m` does (`runpy`, as `__main__`, with its own working
folder, environment, standard streams, exit code and process), so what a test reads is what a user's command prints.
The server starts no threads of its own and runs no torch operation before forking (torch's and BLAS's thread pools
start in the child). What the forked child cannot show, a fresh interpreter still tests: the README's commands, the
main job, the launchers, signals, and a GPU torch that cannot start, which those tests start with `subprocess`."""
import io, json, os, runpy, select, signal, subprocess, sys, tempfile

MODULES = ['pipeline.' + m for m in ('core', 'runtime', 'data', 'models', 'check', 'recipes', 'augment', 'batch_augment',
                                     'distributed', 'loaders', 'learner', 'callbacks', 'report', 'infer', 'evaluate',
                                     'train', 'plots', 'export', 'bench_inference', 'bench', 'sweep')]


def _streams(stdout, stderr):
    "Point the child's fds 0-2 at /dev/null and the two files, and Python's streams at them, unbuffered."
    for fd, path, flags in ((0, os.devnull, os.O_RDONLY), (1, stdout, os.O_WRONLY | os.O_TRUNC),
                            (2, stderr, os.O_WRONLY | os.O_TRUNC)):
        f = os.open(path, flags); os.dup2(f, fd); os.close(f)
    sys.stdin = open(0, closefd=False)
    sys.stdout = io.TextIOWrapper(io.FileIO(1, 'w', closefd=False), write_through=True)
    sys.stderr = io.TextIOWrapper(io.FileIO(2, 'w', closefd=False), errors='backslashreplace', write_through=True)


def _child(req, reply):
    "In the forked child: become `python -m MODULE ARGS` in the request's folder and environment, then run it."
    reply.close()
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.chdir(req['cwd'])
    os.environ.clear(); os.environ.update(req['env'])
    _streams(req['stdout'], req['stderr'])
    sys.path[:] = ['', *(p for p in sys.path[1:] if p != os.path.dirname(__file__))]  # as `python -m` sets it
    sys.argv = ['-m', *req['args']]
    sys.modules.pop(req['module'], None)  # python -m runs the module's file as __main__, not the imported copy
    runpy._run_module_as_main(req['module'])  # what `python -m` calls; an exception or exit ends the child as it would


def serve():
    "Import the project, then fork a child for each JSON request line on stdin; answer its pid, then its exit code."
    for m in MODULES: __import__(m)
    reply = os.fdopen(os.dup(1), 'w', buffering=1)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # what an import prints later cannot mix with the answers
    reply.write('ready\n')
    for line in sys.stdin:
        req = json.loads(line)
        pid = os.fork()
        if pid == 0: _child(req, reply); return  # the child's end: its module ran, so it exits as Python does
        reply.write(f'pid {pid}\n')
        reply.write(f'exit {os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])}\n')


class ForkServer:
    "The tests' end: start the server once, run a command in a child of it, stop the server."
    def __init__(self, root):
        self.root, self.proc = root, None

    def start(self):
        code = f'import sys; sys.path.insert(0, {str(self.root/"tests")!r}); import forkserver; forkserver.serve()'
        self.proc = subprocess.Popen([sys.executable, '-c', code], cwd=self.root, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)
        if self.proc.stdout.readline() != 'ready\n': raise RuntimeError('the fork server did not start')

    def _answer(self, timeout=None):
        if timeout is not None and not select.select([self.proc.stdout], [], [], timeout)[0]: return None
        word, value = self.proc.stdout.readline().split()
        return int(value)

    def run(self, module, args, cwd, env, timeout):
        "Run `python -m module args` as a forked child; a CompletedProcess as `subprocess.run` gives (text streams)."
        if self.proc is None or self.proc.poll() is not None: self.start()
        with tempfile.TemporaryDirectory() as d:
            out, err = os.path.join(d, 'stdout'), os.path.join(d, 'stderr')
            for p in (out, err): open(p, 'w').close()
            req = dict(module=module, args=list(args), cwd=str(cwd), env=dict(env), stdout=out, stderr=err)
            self.proc.stdin.write(json.dumps(req) + '\n'); self.proc.stdin.flush()
            pid = self._answer()
            code = self._answer(timeout)
            if code is None:
                os.kill(pid, signal.SIGKILL); self._answer()
                raise subprocess.TimeoutExpired([module, *args], timeout)
            read = lambda p: open(p, encoding='utf-8', errors='backslashreplace').read()  # noqa: E731
            return subprocess.CompletedProcess(['python', '-m', module, *args], code, read(out), read(err))

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.stdin.close(); self.proc.wait(timeout=60)
