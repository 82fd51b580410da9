/**
 * Auto-configuration of hedge's actuator support: endpoint, health contributor and meters, each backing off when its
 * Actuator or Micrometer classes are missing.
 */
package dev.hedge.spring.autoconfigure.actuate;
