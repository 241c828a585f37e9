package cn.qxqy.pipeline.reference;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;

/** A row of a reference list: a code, its names and its place in the list. */
@MappedSuperclass
public abstract class ReferenceEntry extends PanacheEntityBase {

    @Id
    public String code;
    @Column(name = "name_zh")
    public String nameZh;
    @Column(name = "name_en")
    public String nameEn;
    public int sort;

    ReferenceResource.Entry toEntry() {
        return new ReferenceResource.Entry(code, nameZh, nameEn);
    }
}
