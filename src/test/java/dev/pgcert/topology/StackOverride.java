package dev.pgcert.topology;

import java.util.function.Supplier;

/** Runs a block with {@code -Dpgcert.stack} set, as a run with that option would, and restores it after. */
public final class StackOverride {
    private StackOverride() {}

    public static synchronized <T> T with(String stack, Supplier<T> block) {
        String before = System.getProperty(Stacks.OVERRIDE_PROPERTY);
        System.setProperty(Stacks.OVERRIDE_PROPERTY, stack);
        try {
            return block.get();
        } finally {
            if (before == null) {
                System.clearProperty(Stacks.OVERRIDE_PROPERTY);
            } else {
                System.setProperty(Stacks.OVERRIDE_PROPERTY, before);
            }
        }
    }
}
