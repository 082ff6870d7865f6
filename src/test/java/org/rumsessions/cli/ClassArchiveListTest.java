package org.rumsessions.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassArchiveListTest {
  @TempDir Path tmp;

  @Test
  void findsTheVersionedClassesOfMultiReleaseJarsOnTheClassPath() throws Exception {
    Path mr = jar("mr.jar", "a/Plain.class", "META-INF/versions/9/a/OnlyVersioned.class", "META-INF/versions/11/a/Plain.class",
        "META-INF/versions/9/module-info.txt");
    Path plain = jar("plain.jar", "b/Other.class");
    String cp = String.join(File.pathSeparator, mr.toString(), plain.toString(), tmp.resolve("classes").toString(), tmp.resolve("gone.jar").toString());
    assertEquals(Set.of("a/OnlyVersioned", "a/Plain"), ClassArchiveList.versionedClasses(cp));
  }

  @Test
  void keepsOnlyClassesWithAPlainClassFileInTheirJarOnceInFirstOrder() {
    List<String> lines = List.of(
        "java/lang/Object",
        "org/apache/spark/sql/SparkSession",
        "org/rumsessions/cli/RumSessions",
        "@lambda-proxy org/rumsessions/run/SessionizeJob accept ()Ljava/util/function/Consumer;",
        "@lambda-proxy org/apache/spark/sql/SparkSession apply ()Lscala/Function0;",
        "@lambda-proxy a/OnlyVersioned run ()Ljava/lang/Runnable;",
        "@lambda-form-invoker [LF_RESOLVE] java.lang.invoke.DirectMethodHandle$Holder invokeStatic L_L",
        "java/lang/invoke/BoundMethodHandle$Species_LL",
        "a/OnlyVersioned",
        "",
        "# a comment",
        "java/lang/Object",
        "org/apache/spark/sql/Dataset");
    assertEquals(
        List.of(
            "java/lang/Object",
            "org/apache/spark/sql/SparkSession",
            "@lambda-proxy org/apache/spark/sql/SparkSession apply ()Lscala/Function0;",
            "org/apache/spark/sql/Dataset"),
        ClassArchiveList.filter(lines, Set.of("a/OnlyVersioned")));
  }

  private Path jar(String name, String... entries) throws Exception {
    Path jar = tmp.resolve(name);
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
      for (String e : entries) {
        j.putNextEntry(new JarEntry(e));
        j.write(new byte[] {1});
        j.closeEntry();
      }
    }
    return jar;
  }
}
