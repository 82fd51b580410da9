/**
 * Actuator support for hedge: the {@code /actuator/hedge} endpoint, the {@code hedge} health indicator and the
 * Micrometer meters. Components only; their auto-configuration lives in {@code dev.hedge.spring.autoconfigure.actuate}.
 */
package dev.hedge.spring.actuate;
