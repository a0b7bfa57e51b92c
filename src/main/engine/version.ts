/** This engine's version: registered with its node, and captured with every attempt it starts. */
export const ENGINE_VERSION = '0.1.0';
