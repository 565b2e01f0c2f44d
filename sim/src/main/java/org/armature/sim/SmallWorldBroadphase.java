package org.armature.sim;

import java.util.ArrayList;
import java.util.List;

import javax.vecmath.Vector3f;

import com.bulletphysics.collision.broadphase.BroadphaseInterface;
import com.bulletphysics.collision.broadphase.BroadphaseNativeType;
import com.bulletphysics.collision.broadphase.BroadphaseProxy;
import com.bulletphysics.collision.broadphase.Dispatcher;
import com.bulletphysics.collision.broadphase.HashedOverlappingPairCache;
import com.bulletphysics.collision.broadphase.OverlappingPairCache;

/**
 * A broadphase for worlds of a few dozen bodies (a robot and a ground plane): when a proxy is created, every
 * earlier proxy whose collision filter admits it becomes a candidate pair, in creation order; each step tests the
 * candidates' AABBs and tells the pair cache only when a pair starts or stops overlapping. Bullet's dynamic AABB
 * tree ({@code DbvtBroadphase}) instead re-inserts moved leaves, walks two trees and looks every overlapping pair up
 * in the hash table on every step, which profiling showed to cost about a tenth of a HalfCheetah physics step;
 * with ten bodies and one plane there is nothing for a tree to prune. Cost per step: one AABB test per candidate
 * pair (quadratic in the body count, so not for worlds of hundreds of bodies). Deterministic: pairs are created in
 * candidate order.
 */
final class SmallWorldBroadphase extends BroadphaseInterface {

    private static final class Proxy extends BroadphaseProxy {
        final Vector3f min = new Vector3f();
        final Vector3f max = new Vector3f();

        Proxy(Vector3f aabbMin, Vector3f aabbMax, Object userPtr, short group, short mask, Object multiSapProxy) {
            super(userPtr, group, mask, multiSapProxy);
            min.set(aabbMin);
            max.set(aabbMax);
        }
    }

    private static final class Candidate {
        final Proxy a;
        final Proxy b;
        boolean paired;

        Candidate(Proxy a, Proxy b) {
            this.a = a;
            this.b = b;
        }
    }

    private final HashedOverlappingPairCache pairCache = new HashedOverlappingPairCache();
    private final List<Proxy> proxies = new ArrayList<>();
    private final List<Candidate> candidates = new ArrayList<>();
    private int nextId;

    @Override
    public BroadphaseProxy createProxy(Vector3f aabbMin, Vector3f aabbMax, BroadphaseNativeType shapeType,
                                       Object userPtr, short collisionFilterGroup, short collisionFilterMask,
                                       Dispatcher dispatcher, Object multiSapProxy) {
        Proxy p = new Proxy(aabbMin, aabbMax, userPtr, collisionFilterGroup, collisionFilterMask, multiSapProxy);
        p.uniqueId = nextId++;
        for (Proxy q : proxies) {
            if (pairCache.needsBroadphaseCollision(q, p)) {
                candidates.add(new Candidate(q, p));
            }
        }
        proxies.add(p);
        return p;
    }

    @Override
    public void destroyProxy(BroadphaseProxy proxy, Dispatcher dispatcher) {
        proxies.remove(proxy);
        candidates.removeIf(c -> c.a == proxy || c.b == proxy);
        pairCache.removeOverlappingPairsContainingProxy(proxy, dispatcher);
    }

    @Override
    public void setAabb(BroadphaseProxy proxy, Vector3f aabbMin, Vector3f aabbMax, Dispatcher dispatcher) {
        Proxy p = (Proxy) proxy;
        p.min.set(aabbMin);
        p.max.set(aabbMax);
    }

    private static boolean overlap(Proxy a, Proxy b) {
        return a.min.x <= b.max.x && b.min.x <= a.max.x
                && a.min.y <= b.max.y && b.min.y <= a.max.y
                && a.min.z <= b.max.z && b.min.z <= a.max.z;
    }

    @Override
    public void calculateOverlappingPairs(Dispatcher dispatcher) {
        for (int i = 0, n = candidates.size(); i < n; i++) {
            Candidate c = candidates.get(i);
            boolean overlapping = overlap(c.a, c.b);
            if (overlapping != c.paired) {
                if (overlapping) {
                    pairCache.addOverlappingPair(c.a, c.b);
                } else {
                    pairCache.removeOverlappingPair(c.a, c.b, dispatcher);
                }
                c.paired = overlapping;
            }
        }
    }

    @Override
    public OverlappingPairCache getOverlappingPairCache() {
        return pairCache;
    }

    @Override
    public void getBroadphaseAabb(Vector3f aabbMin, Vector3f aabbMax) {
        aabbMin.set(-1e30f, -1e30f, -1e30f);
        aabbMax.set(1e30f, 1e30f, 1e30f);
    }

    @Override
    public void printStats() {
    }
}
