package io.statefulset.agent.manifests;

/** {@code registry:5000/name:tag}: the tag is what follows the last ':' after the last '/'. Digests are not used here. */
record ImageReference(String name, String tag) {
    static ImageReference parse(String image) {
        if (image.contains("@")) throw new UnsupportedOperationException("image digests are not used in k8s/: " + image);
        int colon = image.lastIndexOf(':');
        if (colon > image.lastIndexOf('/')) return new ImageReference(image.substring(0, colon), image.substring(colon + 1));
        return new ImageReference(image, null);
    }

    @Override
    public String toString() {
        return tag == null ? name : name + ":" + tag;
    }
}
