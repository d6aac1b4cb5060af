"""Reading scenario files and folders without trusting what is on disk.

A path named `x.yaml` can be a named pipe (opening it for reading blocks until a writer comes),
a device (`/dev/zero` never ends, and reports size 0), a socket, a link that points nowhere or
to itself, or a folder that cannot be opened. So:

- `read_regular` looks at the path with stat() before opening it, refuses anything that is not
  a regular file, opens with O_NONBLOCK (a pipe swapped in meanwhile cannot block), checks
  again with fstat() on what it opened, and reads at most `limit + 1` bytes whatever st_size
  says;
- `yaml_files` walks a folder without recursion and reports, instead of skipping in silence,
  the subfolders it cannot open, broken and looping links, and special files named *.yaml.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import NamedTuple

from engine.core.i18n import N_, _

YAML_SUFFIXES = (".yaml", ".yml")
_CHUNK = 1 << 20


class FileRefused(Exception):
    """A path that is not read; `code` is the diagnostic code, `message` says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def kind_of(mode: int) -> str:
    """What a file mode is, in words."""
    if stat.S_ISDIR(mode):
        return _("a folder")
    if stat.S_ISFIFO(mode):
        return _("a named pipe (FIFO)")
    if stat.S_ISCHR(mode):
        return _("a character device")
    if stat.S_ISBLK(mode):
        return _("a block device")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    return _("not a regular file")


#: The system's own words for the errors a user meets most, in the interface language (the C
#: library's `strerror` speaks the process locale's language, usually English).
#: English keeps the C library's own wording.
_ERRNO_TEXTS = {
    errno.ENOENT: N_("No such file or directory"),
    errno.EACCES: N_("Permission denied"),
    errno.EPERM: N_("Operation not permitted"),
    errno.ENOTDIR: N_("Not a directory"),
    errno.EISDIR: N_("Is a directory"),
    errno.ENAMETOOLONG: N_("File name too long"),
    errno.EIO: N_("Input/output error"),
}


def os_reason(exc: OSError) -> str:
    """Why the system refused, in the interface language when it is a common refusal."""
    known = _ERRNO_TEXTS.get(exc.errno) if exc.errno is not None else None
    return _(known) if known else str(exc.strerror or exc)


def _refuse_mode(mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise FileRefused("NTX001", _("this is a folder, not a file"))
    raise FileRefused(
        "NTX017",
        _(
            "this is {kind}, not a regular file; nothing was read from it "
            "(give the path of a scenario file)"
        ).format(kind=kind_of(mode)),
    )


def _os_error(exc: OSError, path: str | os.PathLike[str] | None = None) -> FileRefused:
    if exc.errno == errno.ELOOP:
        return FileRefused(
            "NTX018", _("this link loops (it points back to itself); fix or remove it")
        )
    if exc.errno == errno.ENOENT and (path is None or os.path.islink(path)):
        return FileRefused(
            "NTX018", _("this link points to nothing (a broken link); fix or remove it")
        )
    return FileRefused("NTX001", _("cannot read the file: {reason}").format(reason=os_reason(exc)))


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; FileRefused otherwise."""
    try:
        _refuse_mode(os.stat(path).st_mode)
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0)
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except FileRefused:
        raise
    except OSError as exc:
        raise _os_error(exc, path) from None
    try:
        info = os.fstat(fd)
        _refuse_mode(info.st_mode)
        if info.st_size > limit:
            raise too_large(info.st_size, limit)
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise too_large(total, limit, at_least=True)
        return b"".join(chunks)
    except OSError as exc:
        raise _os_error(exc) from None
    finally:
        os.close(fd)


def too_large(size: int, limit: int, at_least: bool = False) -> FileRefused:
    from engine.core.formats import number

    limit_mb = limit // 1048576
    what = (
        _("over {limit} MB").format(limit=limit_mb)
        if at_least
        else _("{size} MB").format(size=number(size / 1048576, 1))
    )
    return FileRefused(
        "NTX002",
        _(
            "the file is {size}; the limit is {limit} MB "
            "(split the scenario or remove embedded data)"
        ).format(size=what, limit=limit_mb),
    )


class Unreadable(NamedTuple):
    """Something in a folder that was not read, and why (a located diagnostic's parts)."""

    path: Path
    code: str
    message: str


def yaml_files(folder: Path) -> tuple[list[Path], list[Unreadable]]:
    """*.yaml / *.yml files under `folder` (sorted; hidden names skipped), and what could not be
    read. Links to folders are followed once: a link back to a folder already being walked is
    reported as a loop."""
    return files_named(folder, YAML_SUFFIXES)


def files_named(folder: Path, suffixes: tuple[str, ...]) -> tuple[list[Path], list[Unreadable]]:
    """`yaml_files` for files whose names end in one of `suffixes` (lower case), e.g. `.po`."""
    files: list[Path] = []
    problems: list[Unreadable] = []
    try:
        top = os.stat(folder)
    except OSError as exc:
        return [], [
            Unreadable(
                folder,
                "NTX018" if exc.errno == errno.ELOOP else "NTX001",
                _("cannot open this folder: {reason}").format(reason=os_reason(exc)),
            )
        ]
    seen = {(top.st_dev, top.st_ino)}
    pending = [folder]
    while pending:
        here = pending.pop()
        try:
            with os.scandir(here) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            problems.append(
                Unreadable(
                    here,
                    "NTX001",
                    _("cannot open this folder: {reason}").format(reason=os_reason(exc)),
                )
            )
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            _visit(Path(entry.path), entry.is_symlink(), suffixes, (files, problems, pending), seen)
    files.sort()
    problems.sort(key=lambda u: u.path)
    return files, problems


def _visit(
    path: Path,
    is_link: bool,
    suffixes: tuple[str, ...],
    found: tuple[list[Path], list[Unreadable], list[Path]],
    seen: set[tuple[int, int]],
) -> None:
    files, problems, pending = found
    wanted = path.name.lower().endswith(suffixes)
    try:
        info = os.stat(path)
    except OSError as exc:
        if is_link and (exc.errno == errno.ELOOP or wanted):
            problems.append(Unreadable(path, *_as_pair(_os_error(exc))))
        elif not is_link:
            reason = os_reason(exc)
            problems.append(
                Unreadable(path, "NTX001", _("cannot read: {reason}").format(reason=reason))
            )
        return
    if stat.S_ISDIR(info.st_mode):
        key = (info.st_dev, info.st_ino)
        if key in seen:
            if is_link:
                problems.append(
                    Unreadable(
                        path,
                        "NTX018",
                        _("this link loops back to a folder already searched; not followed"),
                    )
                )
            return
        seen.add(key)
        pending.append(path)
    elif wanted:
        if stat.S_ISREG(info.st_mode):
            files.append(path)
        else:
            problems.append(
                Unreadable(
                    path,
                    "NTX017",
                    _("this is {kind}, not a regular file; it was not read").format(
                        kind=kind_of(info.st_mode)
                    ),
                )
            )


def _as_pair(refused: FileRefused) -> tuple[str, str]:
    return refused.code, refused.message
