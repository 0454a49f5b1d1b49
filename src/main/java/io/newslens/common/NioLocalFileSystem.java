package io.newslens.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system with permissions set through {@code java.nio}.
 *
 * <p>Why: without Hadoop's native library (Maven's jars have none), {@link RawLocalFileSystem}
 * forks a {@code chmod} process for every file and folder Spark writes, and those forks were a
 * large share of the time of every stage that writes many files (bench/README.md). The same
 * permission bits set in-process give the same files. Registered as {@code fs.file.impl} by
 * {@link Sessions}; file systems without POSIX attributes fall back to Hadoop's own code.
 */
public class NioLocalFileSystem extends LocalFileSystem {
  public NioLocalFileSystem() {
    super(new NioRawLocalFileSystem());
  }

  /** The raw (unchecksummed) layer, where Hadoop sets permissions. */
  public static class NioRawLocalFileSystem extends RawLocalFileSystem {
    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

    @Override
    public void setPermission(Path path, FsPermission permission) throws IOException {
      java.nio.file.Path file = pathToFile(path).toPath();
      if (permission.getStickyBit() || !Files.getFileStore(file).supportsFileAttributeView("posix")) {
        super.setPermission(path, permission);
        return;
      }
      Files.setPosixFilePermissions(file, posix(permission.toShort()));
    }

    static Set<PosixFilePermission> posix(short mode) {
      Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
      for (int bit = 0; bit < BITS.length; bit++) {
        if ((mode & (1 << bit)) != 0) {
          set.add(BITS[bit]);
        }
      }
      return set;
    }
  }
}
