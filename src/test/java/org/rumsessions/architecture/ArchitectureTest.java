package org.rumsessions.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The packages follow the flow of data and depend on each other one way only: config and common at
 * the bottom, then read, normalize, sessionize, tables, write, run, and the commands in cli on top.
 * A cycle, once in, makes every later change touch both sides; this test keeps them out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArchitectureTest {
  private JavaClasses product;

  @BeforeAll
  void importProduct() {
    product = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.rumsessions");
  }

  @Test
  void packagesAreFreeOfCycles() {
    slices().matching("org.rumsessions.(*)..").should().beFreeOfCycles().check(product);
  }

  @Test
  void onlyTheCommandLineKnowsTheCommands() {
    ArchRuleDefinition.noClasses()
        .that().resideOutsideOfPackage("org.rumsessions.cli..")
        .should().dependOnClassesThat().resideInAPackage("org.rumsessions.cli..")
        .check(product);
  }

  @Test
  void theBenchmarkIsNotPartOfTheProduct() {
    ArchRuleDefinition.noClasses().should().resideInAPackage("org.rumsessions.bench..").allowEmptyShould(true).check(product);
  }

  @Test
  void configurationAndSharedValuesDependOnNothingOfOurs() {
    ArchRuleDefinition.noClasses()
        .that().resideInAPackage("org.rumsessions.config..")
        .should().dependOnClassesThat().resideOutsideOfPackages("org.rumsessions.config..", "java..", "com.fasterxml..")
        .check(product);
    ArchRuleDefinition.noClasses()
        .that().resideInAPackage("org.rumsessions.common..")
        .should().dependOnClassesThat()
        .resideInAnyPackage(
            "org.rumsessions.read..", "org.rumsessions.normalize..", "org.rumsessions.sessionize..", "org.rumsessions.tables..",
            "org.rumsessions.write..", "org.rumsessions.run..", "org.rumsessions.sql..", "org.rumsessions.maintain..",
            "org.rumsessions.generate..", "org.rumsessions.cli..")
        .check(product);
  }
}
