package dev.pgcert.fault;

import org.testcontainers.containers.GenericContainer;

/** A resolved target: one container of the run. */
public record Component(String name, Type type, GenericContainer<?> container) {

    public enum Type { NODE, ETCD, ROUTER, POOLER }

    public String containerId() {
        String id = container.getContainerId();
        if (id == null) {
            throw new FaultException(name + " has no container (the cluster is not started)");
        }
        return id;
    }

    public boolean isNode() {
        return type == Type.NODE;
    }

    @Override
    public String toString() {
        return name;
    }
}
