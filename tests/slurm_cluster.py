"""A throw-away single-node SLURM cluster for tests (root only).

Usage from Python::

    from slurm_cluster import LocalSlurm, SlurmUnavailable

    with LocalSlurm() as cluster:  # raises SlurmUnavailable if it cannot run here
        subprocess.run(["sbatch", "--wrap", "hostname"], env=cluster.env)

In pytest, :func:`local_slurm_or_skip` turns ``SlurmUnavailable`` into a skip with the reason.
From a shell, ``python tests/slurm_cluster.py`` brings a cluster up until Ctrl-C.

What it does:

1. checks that it runs as root (the daemons run as root, ``SlurmUser=root``);
2. installs Debian's ``slurmctld slurmd slurm-client munge`` with apt-get if a binary is missing;
3. writes a private ``slurm.conf`` and a fresh MUNGE key into new temporary directories, with free
   TCP ports and a private MUNGE socket, so that it collides neither with a system SLURM/MUNGE nor
   with the leftovers of a crashed earlier run;
4. starts ``munged``, ``slurmctld -D`` and ``slurmd -D`` in the background, records their PIDs and
   waits until ``sinfo`` shows the node ``idle``;
5. on exit cancels the jobs left on this cluster and stops exactly the three recorded PIDs (which
   also get SIGTERM from the kernel if the Python process dies without cleaning up).

Client commands find the cluster through ``SLURM_CONF`` (set in ``cluster.env``, to pass to
subprocesses, and in ``os.environ`` while the context is active) and through the wrappers in
``cluster.bin_dir``, first in ``cluster.env["PATH"]`` (see ``LocalSlurm._make_env`` for why).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

PACKAGES = ("slurmctld", "slurmd", "slurm-client", "munge")
# binaries the cluster needs (all from PACKAGES)
BINARIES = ("slurmctld", "slurmd", "slurmstepd", "sbatch", "srun", "squeue", "sinfo", "scontrol")
BINARIES += ("scancel", "munged")
# client commands that get a wrapper pinning SLURM_CONF
CLIENTS = ("sbatch", "srun", "salloc", "squeue", "sinfo", "scontrol", "scancel", "sacct")
CLIENTS += ("sacctmgr", "sshare", "sstat")
SBIN_DIRS = ("/usr/local/sbin", "/usr/sbin", "/sbin")
PR_SET_PDEATHSIG = 1


class SlurmUnavailable(RuntimeError):
    """SLURM cannot be brought up here; the message says why (the pytest skip reason)."""


def _search_path() -> str:
    parts = os.environ.get("PATH", "").split(os.pathsep)
    return os.pathsep.join(parts + [d for d in SBIN_DIRS if d not in parts])


def _which(name: str) -> str | None:
    return shutil.which(name, path=_search_path())


def missing_binaries() -> list[str]:
    return [b for b in BINARIES if _which(b) is None]


def mem_total_mb() -> int:
    with open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 1024
    raise SlurmUnavailable("cannot read MemTotal from /proc/meminfo")


def check_root() -> None:
    if os.geteuid() != 0:
        raise SlurmUnavailable(
            "a local SLURM cluster needs root (its daemons run as root, SlurmUser=root); "
            "run the slurm tests as root, e.g. in a container or a CI job"
        )


def ensure_slurm_installed(timeout: float = 900) -> None:
    """Install Debian's SLURM and MUNGE packages with apt-get if a binary is missing.

    Raises SlurmUnavailable if apt-get is absent or the installation fails.
    """
    missing = missing_binaries()
    if not missing:
        return
    check_root()
    if shutil.which("apt-get") is None:
        raise SlurmUnavailable(
            f"SLURM binaries missing ({', '.join(missing)}) and no apt-get to install "
            f"{' '.join(PACKAGES)}"
        )
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive", PATH=_search_path())
    opts = ["-qq", "-y", "-o", "Dpkg::Use-Pty=0", "-o", "DPkg::Lock::Timeout=300"]
    install = ["apt-get", *opts, "--no-install-recommends", "install", *PACKAGES]

    def run(cmd: list[str]) -> subprocess.CompletedProcess:
        try:
            return subprocess.run(
                cmd,
                env=env,
                capture_output=True,
                text=True,
                timeout=timeout,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired as exc:
            raise SlurmUnavailable(f"'{' '.join(cmd)}' timed out after {timeout:.0f} s") from exc

    proc = run(install)
    if proc.returncode != 0:  # stale or missing package lists: update once and retry
        run(["apt-get", *opts, "update"])
        proc = run(install)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        raise SlurmUnavailable(
            f"could not install {' '.join(PACKAGES)} with apt-get (exit {proc.returncode}): "
            + " | ".join(tail)
        )
    still = missing_binaries()
    if still:
        raise SlurmUnavailable(f"installed {' '.join(PACKAGES)}, but still missing: {still}")


def _free_ports(n: int) -> list[int]:
    socks = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM when the process that started us dies (Linux)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def _tail(path: Path, n: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return "(no log)"


class LocalSlurm:
    """Context manager running munged + slurmctld + slurmd for one node on this machine.

    workdir: directory for config, state, spool and logs (created if needed). Default: a fresh
        ``mkdtemp``, removed again after a clean exit (kept, with the logs, after an error).
    partition: name of the (default) partition, e.g. the ``slurm_partition`` of a profile.
    cpus, real_memory_mb: the node's size; default: this machine's CPU count and memory. Neither
        is enforced (no cgroups), so a test may declare more memory than the machine has.
    start_timeout: seconds to wait for the node to become idle.
    install: install the Debian packages with apt-get if binaries are missing.
    """

    def __init__(
        self,
        workdir: str | os.PathLike | None = None,
        *,
        partition: str = "debug",
        cluster_name: str = "qsynctest",
        node_name: str | None = None,
        cpus: int | None = None,
        real_memory_mb: int | None = None,
        start_timeout: float = 60.0,
        install: bool = True,
    ):
        self._workdir_arg = workdir
        self.partition = partition
        self.cluster_name = cluster_name
        self.node_name = node_name or socket.gethostname().split(".")[0] or "localnode"
        self.cpus = cpus or os.cpu_count() or 1
        self.real_memory_mb = real_memory_mb or mem_total_mb()
        self.start_timeout = start_timeout
        self.install = install
        self.workdir: Path | None = None
        self.munge_dir: Path | None = None
        self.bin_dir: Path | None = None
        self.ports: dict[str, int] = {}
        self.env: dict[str, str] = {}
        self.procs: dict[str, subprocess.Popen] = {}
        self.startup_seconds: float | None = None
        self._saved_slurm_conf: str | None = None
        self._exported = False

    # ----------------------------------------------------------------------------------- paths
    @property
    def conf_path(self) -> Path:
        return self.workdir / "etc" / "slurm.conf"

    @property
    def jobcomp_path(self) -> Path:
        return self.workdir / "log" / "jobcomp.txt"

    @property
    def pids(self) -> dict[str, int]:
        return {name: p.pid for name, p in self.procs.items()}

    def log_path(self, daemon: str) -> Path:
        return self.workdir / "log" / f"{daemon}.log"

    # ----------------------------------------------------------------------------------- setup
    def _make_dirs(self) -> None:
        if self._workdir_arg is None:
            self.workdir = Path(tempfile.mkdtemp(prefix="qsync-slurm-"))
        else:
            self.workdir = Path(self._workdir_arg).absolute()
            self.workdir.mkdir(parents=True, exist_ok=True)
        for sub in ("etc", "state", "spool", "log", "run", "bin"):
            (self.workdir / sub).mkdir(exist_ok=True)
        # munged wants the socket's directory, and every directory above it, executable by all,
        # and the key's and the log's directories not writable by group or other. pytest's
        # tmp_path lies below a 0700 directory, and a socket path must stay short (< 108 bytes):
        # key and socket get a small directory of their own.
        self.munge_dir = Path(tempfile.mkdtemp(prefix="qsync-munge-"))
        os.chmod(self.munge_dir, 0o755)

    def _write_munge_key(self) -> Path:
        key = self.munge_dir / "munge.key"
        if not key.exists():  # a fresh random key, owner-only (munged refuses anything else)
            fd = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(os.urandom(1024))
        os.chmod(key, 0o600)
        return key

    def _write_conf(self) -> None:
        ctld_port, slurmd_port = _free_ports(2)
        self.ports = {"slurmctld": ctld_port, "slurmd": slurmd_port}
        w = self.workdir
        mem_per_cpu = max(100, min(1024, self.real_memory_mb // self.cpus))
        node = (
            f"NodeName={self.node_name} NodeAddr=127.0.0.1 NodeHostname={self.node_name} "
            f"CPUs={self.cpus} RealMemory={self.real_memory_mb} State=UNKNOWN"
        )
        partition = (
            f"PartitionName={self.partition} Nodes={self.node_name} Default=YES "
            "MaxTime=INFINITE State=UP"
        )
        lines = [
            "# Written by tests/slurm_cluster.py: a single-node test cluster, not for production.",
            f"ClusterName={self.cluster_name}",
            "SlurmctldHost=localhost",
            f"SlurmctldPort={ctld_port}",
            f"SlurmdPort={slurmd_port}",
            "SlurmUser=root",
            "SlurmdUser=root",
            "AuthType=auth/munge",
            "CredType=cred/munge",
            f"AuthInfo=socket={self.munge_dir / 'munge.socket'}",
            # no cgroups here: track processes by process group, no task binding/confinement
            "ProctrackType=proctrack/pgid",
            "TaskPlugin=task/none",
            "JobAcctGatherType=jobacct_gather/none",
            "SwitchType=switch/none",
            "MpiDefault=none",
            # schedule CPUs and memory (so that --mem requests count); trust this file, not hardware
            "SelectType=select/cons_tres",
            "SelectTypeParameters=CR_CPU_Memory",
            "SlurmdParameters=config_overrides",
            f"DefMemPerCPU={mem_per_cpu}",
            "ReturnToService=2",
            # start submitted batch jobs at once instead of batching them for 3 s
            "SchedulerParameters=batch_sched_delay=0",
            # finished jobs stay visible to squeue for 10 min (the plugin's squeue status checks)
            "MinJobAge=600",
            "KillWait=5",
            "InactiveLimit=0",
            "MailProg=/bin/true",
            # no slurmdbd: no accounting (sacct does not work); finished jobs go to a text file
            "AccountingStorageType=accounting_storage/none",
            "JobCompType=jobcomp/filetxt",
            f"JobCompLoc={self.jobcomp_path}",
            f"StateSaveLocation={w / 'state'}",
            f"SlurmdSpoolDir={w / 'spool'}",
            f"SlurmctldPidFile={w / 'run' / 'slurmctld.pid'}",
            f"SlurmdPidFile={w / 'run' / 'slurmd.pid'}",
            f"SlurmctldLogFile={self.log_path('slurmctld')}",
            f"SlurmdLogFile={self.log_path('slurmd')}",
            "SlurmctldDebug=info",
            "SlurmdDebug=info",
            node,
            partition,
        ]
        self.conf_path.write_text("\n".join(lines) + "\n")

    def _make_env(self) -> None:
        """The environment for processes that use this cluster (``self.env``).

        SLURM_CONF alone is not enough: the slurm-jobstep executor plugin removes every SLURM_*
        variable but the job's identity before its nested ``srun``, which then looks for
        /etc/slurm/slurm.conf (a real cluster has one; this test cluster must not touch it). So
        ``bin_dir`` holds wrappers of the client commands that set SLURM_CONF, first in PATH;
        ``sbatch --export=ALL`` carries that PATH into the jobs.
        """
        self.bin_dir = self.workdir / "bin"
        for name in CLIENTS:
            real = _which(name)
            if real is None:
                continue
            wrapper = self.bin_dir / name
            wrapper.write_text(
                "#!/bin/sh\n# tests/slurm_cluster.py: use the test cluster\n"
                f"SLURM_CONF='{self.conf_path}'; export SLURM_CONF\n"
                f"exec '{real}' \"$@\"\n"
            )
            wrapper.chmod(0o755)
        prefixes = ("SLURM_", "SBATCH_", "SRUN_", "SALLOC_", "SQUEUE_")
        env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
        env["SLURM_CONF"] = str(self.conf_path)
        env["PATH"] = os.pathsep.join([str(self.bin_dir), _search_path()])
        self.env = env

    def _spawn(self, name: str, argv: Sequence[str]) -> None:
        with open(self.workdir / "log" / f"{name}.stdout", "ab") as out:
            proc = subprocess.Popen(
                list(argv),
                env=self.env,
                cwd=self.workdir,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        self.procs[name] = proc
        (self.workdir / "run" / f"{name}.started-pid").write_text(f"{proc.pid}\n")

    def _check_alive(self) -> None:
        for name, proc in self.procs.items():
            if proc.poll() is not None:
                raise SlurmUnavailable(
                    f"{name} exited with code {proc.returncode} during start-up.\n"
                    f"--- {name} output ---\n{_tail(self.workdir / 'log' / f'{name}.stdout')}\n"
                    f"--- {name} log ---\n{_tail(self.log_path(name))}"
                )

    def _wait_for(self, what: str, predicate, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            self._check_alive()
            if predicate():
                return
            if time.monotonic() > deadline:
                raise SlurmUnavailable(
                    f"timed out after {timeout:.0f} s waiting for {what}.\n"
                    f"--- slurmctld.log ---\n{_tail(self.log_path('slurmctld'))}\n"
                    f"--- slurmd.log ---\n{_tail(self.log_path('slurmd'))}"
                )
            time.sleep(0.2)

    def run(self, argv: Sequence[str], check: bool = False, timeout: float = 30, **kw):
        """Run a client command (sinfo, squeue, sbatch, ...) against this cluster."""
        return subprocess.run(
            list(argv),
            env=self.env,
            capture_output=True,
            text=True,
            check=check,
            timeout=timeout,
            **kw,
        )

    def node_state(self) -> str:
        try:
            proc = self.run(["sinfo", "-h", "-N", "-n", self.node_name, "-o", "%t"], timeout=10)
        except subprocess.TimeoutExpired:
            return ""
        return proc.stdout.strip() if proc.returncode == 0 else ""

    def start(self) -> LocalSlurm:
        t0 = time.monotonic()
        check_root()
        if self.install:
            ensure_slurm_installed()
        elif missing_binaries():
            raise SlurmUnavailable(f"SLURM binaries missing: {missing_binaries()}")
        try:
            self._make_dirs()
            key = self._write_munge_key()
            self._write_conf()
            self._make_env()
            sock = self.munge_dir / "munge.socket"
            munged = [
                _which("munged"),
                "--foreground",
                f"--key-file={key}",
                f"--socket={sock}",
                f"--pid-file={self.munge_dir / 'munged.pid'}",
                f"--seed-file={self.munge_dir / 'munged.seed'}",
                f"--log-file={self.log_path('munged')}",
                "--num-threads=2",
            ]
            self._spawn("munged", munged)
            self._wait_for("the MUNGE socket", sock.exists, 20)
            conf = str(self.conf_path)
            self._spawn("slurmctld", [_which("slurmctld"), "-D", "-f", conf])
            self._spawn("slurmd", [_which("slurmd"), "-D", "-f", conf, "-N", self.node_name])
            self._wait_for(
                f"node {self.node_name} to be idle in sinfo",
                lambda: self.node_state() == "idle",
                self.start_timeout,
            )
        except BaseException:
            self.stop(remove_workdir=False)
            raise
        os.environ["SLURM_CONF"] = conf
        self._exported = True
        self.startup_seconds = time.monotonic() - t0
        return self

    # -------------------------------------------------------------------------------- teardown
    def cancel_all_jobs(self, wait: float = 15) -> None:
        """Cancel whatever is still queued or running on this (private) cluster."""
        ctld = self.procs.get("slurmctld")
        if ctld is None or ctld.poll() is not None:
            return
        active = ["squeue", "-h", "-t", "PD,R,CG,S", "-o", "%i"]
        try:
            ids = self.run(active, timeout=10).stdout.split()
            if not ids:
                return
            self.run(["scancel", *ids], timeout=10)
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline and self.run(active, timeout=10).stdout.strip():
                time.sleep(0.3)
        except (subprocess.TimeoutExpired, OSError):
            pass

    def stop(self, remove_workdir: bool = True) -> None:
        """Stop exactly the daemons this object started; remove what only it used."""
        if self._exported:
            if self._saved_slurm_conf is None:
                os.environ.pop("SLURM_CONF", None)
            else:
                os.environ["SLURM_CONF"] = self._saved_slurm_conf
            self._exported = False
        if self.procs:
            self.cancel_all_jobs()
            for name in ("slurmd", "slurmctld", "munged"):
                proc = self.procs.get(name)
                if proc is None or proc.poll() is not None:
                    continue
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=10)
            self.procs.clear()
        if self.munge_dir is not None:
            shutil.rmtree(self.munge_dir, ignore_errors=True)
            self.munge_dir = None
        if remove_workdir and self._workdir_arg is None and self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)

    # ------------------------------------------------------------------------- context manager
    def __enter__(self) -> LocalSlurm:
        self._saved_slurm_conf = os.environ.get("SLURM_CONF")
        return self.start()

    def __exit__(self, exc_type, exc, tb) -> None:
        self.stop(remove_workdir=exc_type is None)

    # --------------------------------------------------------------------------------- queries
    def finished_jobs(self) -> list[dict[str, str]]:
        """Jobs recorded by jobcomp/filetxt: one dict of its KEY=VALUE fields per finished job."""
        if not self.jobcomp_path.exists():
            return []
        jobs = []
        for line in self.jobcomp_path.read_text().splitlines():
            fields = dict(m.groups() for m in re.finditer(r"(\w+)=(\S*)", line))
            if fields:
                jobs.append(fields)
        return jobs


@contextlib.contextmanager
def local_slurm_or_skip(*args, **kwargs) -> Iterator[LocalSlurm]:
    """``LocalSlurm(*args, **kwargs)``, but ``pytest.skip`` (with the reason) if it cannot run.

    For a fixture::

        @pytest.fixture(scope="module")
        def slurm(tmp_path_factory):
            with local_slurm_or_skip(tmp_path_factory.mktemp("slurm")) as cluster:
                yield cluster
    """
    import pytest

    cluster = LocalSlurm(*args, **kwargs)
    try:
        cluster.__enter__()
    except SlurmUnavailable as exc:
        pytest.skip(f"local SLURM cluster unavailable: {exc}")
    try:
        yield cluster
    finally:
        cluster.__exit__(None, None, None)


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Run a single-node SLURM cluster until Ctrl-C.")
    parser.add_argument("--workdir", default=None, help="default: a temporary directory")
    parser.add_argument("--partition", default="debug")
    args = parser.parse_args()

    def interrupt(*_):
        raise KeyboardInterrupt

    # stop and clean up on Ctrl-C and on SIGTERM (SIGINT may be ignored in a background job)
    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    try:
        with LocalSlurm(args.workdir, partition=args.partition) as cluster:
            print(f"SLURM up in {cluster.startup_seconds:.1f} s; daemons {cluster.pids}")
            print(f"export SLURM_CONF={cluster.conf_path} PATH={cluster.bin_dir}:$PATH")
            print("Ctrl-C stops it.", flush=True)
            with contextlib.suppress(KeyboardInterrupt):
                signal.pause()
    except SlurmUnavailable as exc:
        print(f"SLURM unavailable: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
