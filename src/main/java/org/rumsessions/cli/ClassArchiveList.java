package org.rumsessions.cli;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Turns the class lists that recording runs wrote ({@code -XX:DumpLoadedClassList}) into the one
 * list the launcher's class archive is dumped from ({@code jobs/lib.sh}, {@code rum_class_archive}).
 *
 * <p>Left out, besides the project's own classes (they change with every build, and come after the
 * jars on the class path): every class that has no plain class file where the JVM would look for
 * one. With a static archive of JDK 17 and a class file load hook on (Java Flight Recorder started
 * with the JVM or later by {@code jcmd JFR.start}, or a Java agent), the JVM reads the class file of
 * each archived class it loads from the class path entry it came from, and a class without one
 * crashes it (SIGSEGV in {@code KlassFactory::check_shared_class_file_load_hook}). Those classes are
 * the versioned classes of multi-release jars (log4j's, under {@code META-INF/versions/N/}) and the
 * method handle classes the dump generates itself ({@code @lambda-form-invoker} lines,
 * {@code BoundMethodHandle$Species_*}).
 *
 * <p>Usage: {@code ClassArchiveList OUT CLASSPATH LIST...}. Lines keep their first order; repeated
 * lines are written once. Uses nothing outside the JDK, so that it runs before Spark is loaded.
 */
public final class ClassArchiveList {
  private static final String PROJECT = "org/rumsessions/";
  private static final String VERSIONS = "META-INF/versions/";

  private ClassArchiveList() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 3) {
      System.err.println("usage: ClassArchiveList OUT CLASSPATH LIST...");
      System.exit(2);
    }
    List<String> lines = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      lines.addAll(Files.readAllLines(Path.of(args[i]), StandardCharsets.UTF_8));
    }
    List<String> kept = filter(lines, versionedClasses(args[1]));
    Files.write(Path.of(args[0]), kept, StandardCharsets.UTF_8);
  }

  /** The lines of {@code lines} that may go into the archive, each once, in their first order. */
  static List<String> filter(List<String> lines, Set<String> versioned) {
    Set<String> kept = new LinkedHashSet<>();
    for (String line : lines) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#") || l.startsWith("@lambda-form-invoker") || l.contains(PROJECT)) {
        continue;
      }
      String[] words = l.split("\\s+");
      // A lambda proxy line names the class that holds the lambda second; any other line first.
      String named = words[0].equals("@lambda-proxy") && words.length > 1 ? words[1] : words[0];
      if (named.contains("$Species_") || versioned.contains(named)) {
        continue;
      }
      kept.add(l);
    }
    return List.copyOf(kept);
  }

  /** The names ({@code a/b/C}) of the classes that a multi-release jar on {@code classPath} holds under a version. */
  static Set<String> versionedClasses(String classPath) {
    Set<String> names = new HashSet<>();
    for (String entry : classPath.split(File.pathSeparator)) {
      if (!entry.endsWith(".jar") || !new File(entry).isFile()) {
        continue;
      }
      try (JarFile jar = new JarFile(entry)) {
        for (JarEntry e : (Iterable<JarEntry>) jar.stream()::iterator) {
          String n = e.getName();
          if (n.startsWith(VERSIONS) && n.endsWith(".class")) {
            String rest = n.substring(VERSIONS.length());
            int slash = rest.indexOf('/');
            if (slash > 0) {
              names.add(rest.substring(slash + 1, rest.length() - ".class".length()));
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + entry, e);
      }
    }
    return names;
  }
}
